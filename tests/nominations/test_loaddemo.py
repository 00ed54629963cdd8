from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from nominations.models import Award, AwardRule, Campaign, OrgUnit, Person, Role
from workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


def _snapshot() -> str:
    models = [
        m for m in apps.get_models() if m._meta.app_label in {"nominations", "auth", "guardian", "workflow"}
    ]
    rows = []
    for model in models:
        rows.append(serializers.serialize("json", model._default_manager.order_by("pk")))
    return "\n".join(rows)


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


def test_loaddemo_builds_the_ninh_thuan_office_of_the_plan() -> None:
    _load("--password", "pw-for-tests-1")
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).count() == 1
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).count() == 5
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.BRANCH).count() == 4
    assert OrgUnit.objects.get(code="tchc").name == "Phòng Tổ chức - Hành chính"
    annual = Campaign.objects.get(kind=Campaign.Kind.ANNUAL)
    assert annual.theme == "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc"
    assert annual.motto == "Đoàn kết, thích ứng, sáng tạo, kỷ cương, phát triển, hiệu quả"
    phases = Campaign.objects.filter(kind=Campaign.Kind.PHASE).order_by("starts_on")
    assert [(p.starts_on.isoformat(), p.ends_on.isoformat()) for p in phases] == [
        ("2023-01-01", "2023-06-30"),
        ("2023-07-01", "2023-12-31"),
    ]
    assert Campaign.objects.filter(kind=Campaign.Kind.THEMATIC).count() == 10
    assert set(Award.objects.values_list("code", flat=True)) == {
        "LDTT",
        "CSTDCS",
        "TTLDTT",
        "TTLDXS",
        "GIAY_KHEN",
        "CSTD_TINH",
        "BANG_KHEN",
        "CO_THI_DUA",
        # the State's awards, counted by biểu 0602.N of TT 02/2023/TT-BNV
        "HUAN_CHUONG_LD3",
        "HUY_CHUONG_HUU_NGHI",
        "ANH_HUNG_LD",
        "CO_THI_DUA_CP",
        "BANG_KHEN_TTG",
        "CSTD_TOAN_QUOC",
    }
    assert AwardRule.objects.count() == 28  # two versions (ND98, ND152) of each award's rules


def test_loaddemo_creates_the_accounts_of_the_api_contract_with_every_role() -> None:
    _load()
    usernames = set(Person.objects.values_list("username", flat=True))
    expected = {"admin", "director", "office1", "office2", "secretary", "auditor"} | {
        f"council{i}" for i in range(1, 8)
    }
    for code in OrgUnit.objects.exclude(kind=OrgUnit.Kind.OFFICE).values_list("code", flat=True):
        expected |= {f"head-{code}", f"staff-{code}-1"}
    assert expected <= usernames
    for role in Role:
        assert Person.objects.filter(groups__name=role.value).exists(), f"nobody holds {role}"
    council = Person.objects.filter(groups__name=Role.COUNCIL_MEMBER)
    assert council.count() == 9
    assert {"director", "secretary"} <= set(council.values_list("username", flat=True))
    head = Person.objects.get(username="head-prtc")
    assert head.has_role(Role.UNIT_HEAD) and head.unit is not None and head.unit.code == "prtc"
    assert head.groups.filter(name="unit:prtc:heads").exists()
    assert head.check_password("ThiDua@2023")


def test_loaddemo_twice_leaves_identical_data_and_says_so() -> None:
    first = _load("--password", "pw-for-tests-1")
    assert "thay đổi" in first
    before = _snapshot()
    events = AuditEvent.objects.count()
    second = _load("--password", "pw-for-tests-1")
    assert "không có thay đổi nào" in second
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events


def test_loaddemo_sets_a_new_password_when_asked(django_user_model: Any) -> None:
    _load("--password", "first-password-1")
    _load("--password", "second-password-2")
    assert Person.objects.get(username="office1").check_password("second-password-2")


def test_reference_only_restores_roles_rules_and_salary_without_touching_people_or_units() -> None:
    from django.contrib.auth.models import Group

    from nominations.models import BaseSalary

    _load("--password", "pw-for-tests-1")
    Group.objects.get(name=Role.ADMINISTRATOR).permissions.clear()
    AwardRule.objects.filter(award__code="LDTT").update(threshold="0.9")
    BaseSalary.objects.all().delete()
    Person.objects.filter(username="council7").delete()
    counts = (Person.objects.count(), OrgUnit.objects.count(), Campaign.objects.count())

    out = _load("--reference-only")
    assert "Đã nạp vai trò, danh mục danh hiệu và lương cơ sở" in out
    assert "Mật khẩu" not in out
    assert Group.objects.get(name=Role.ADMINISTRATOR).permissions.filter(codename="change_awardrule").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= {str(r) for r in Role}
    assert {
        float(t) for t in AwardRule.objects.filter(award__code="LDTT").values_list("threshold", flat=True)
    } == {0.5}
    assert BaseSalary.objects.exists()
    assert (Person.objects.count(), OrgUnit.objects.count(), Campaign.objects.count()) == counts
    assert not Person.objects.filter(username="council7").exists()
