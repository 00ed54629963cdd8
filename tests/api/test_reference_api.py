from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from nominations.models import Award, AwardRule, OrgUnit

pytestmark = pytest.mark.django_db

Api = Callable[[str], APIClient]


def test_units_are_listed_with_the_fields_of_the_contract(api: Api) -> None:
    rows = api("staff-tkth-1").get("/api/units/").json()
    assert {row["code"] for row in rows} >= {
        "tchc",
        "tkth",
        "tkkt",
        "tkxh",
        "ttth",
        "prtc",
        "nhtb",
        "nptn",
        "nsba",
    }
    office = next(row for row in rows if row["code"] == "ctk")
    tkth = next(row for row in rows if row["code"] == "tkth")
    assert set(tkth) == {"id", "code", "name", "kind", "parent"}
    assert (office["kind"], office["parent"]) == ("office", None)
    assert (tkth["kind"], tkth["parent"]) == ("department", office["id"])
    assert next(row for row in rows if row["code"] == "prtc")["kind"] == "branch"


def test_people_are_filtered_by_unit_code_or_id_and_by_role(api: Api) -> None:
    client = api("office1")
    tkth = OrgUnit.objects.get(code="tkth")
    by_code = client.get("/api/people/?unit=tkth").json()
    assert {row["username"] for row in by_code} == {
        "head-tkth",
        "staff-tkth-1",
        "staff-tkth-2",
        "staff-tkth-3",
        "council2",
    }
    assert client.get(f"/api/people/?unit={tkth.pk}").json() == by_code
    heads = client.get("/api/people/?unit=tkth&role=unit_head").json()
    assert heads == [
        {
            "id": heads[0]["id"],
            "username": "head-tkth",
            "full_name": "Hồ Văn Thịnh",
            "unit": tkth.pk,
            "roles": ["unit_head"],
        }
    ]
    director = client.get("/api/people/?role=director").json()
    assert [row["username"] for row in director] == ["director"]
    assert set(director[0]["roles"]) == {"director", "council_chair", "council_member"}
    assert client.get("/api/people/?role=emperor").status_code == 400


def test_campaigns_carry_kind_period_and_theme(api: Api) -> None:
    rows = api("head-tkth").get("/api/campaigns/").json()
    assert {row["kind"] for row in rows} == {"annual", "phase", "thematic"}
    annual = next(row for row in rows if row["kind"] == "annual")
    assert set(annual) == {"id", "name", "kind", "starts_on", "ends_on", "theme"}
    assert (annual["starts_on"], annual["ends_on"]) == ("2023-01-01", "2023-12-31")
    assert annual["theme"] == "Đoàn kết, sáng tạo, thi đua xây dựng và bảo vệ Tổ quốc"


def test_awards_show_the_voting_rule_in_force_today(api: Api, django_assert_num_queries: Any) -> None:
    client = api("head-tkth")
    client.get("/api/awards/")
    with django_assert_num_queries(3):  # token, awards, their rules in force today
        rows = client.get("/api/awards/").json()
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {
        "LDTT",
        "CSTDCS",
        "TTLDTT",
        "TTLDXS",
        "GIAY_KHEN",
        "CSTD_TINH",
        "BANG_KHEN",
        "CO_THI_DUA",
        # the State's awards (biểu 0602.N of TT 02/2023/TT-BNV), all forwarded upward
        "HUAN_CHUONG_LD3",
        "HUY_CHUONG_HUU_NGHI",
        "ANH_HUNG_LD",
        "CO_THI_DUA_CP",
        "BANG_KHEN_TTG",
        "CSTD_TOAN_QUOC",
    }
    assert {
        by_code[code]["authority"] for code in ("HUAN_CHUONG_LD3", "BANG_KHEN_TTG", "CSTD_TOAN_QUOC")
    } == {"forwarded"}
    assert by_code["CO_THI_DUA_CP"]["recipient"] == "collective"
    assert by_code["CSTDCS"] == {
        "id": Award.objects.get(code="CSTDCS").pk,
        "code": "CSTDCS",
        "name": "Chiến sĩ thi đua cơ sở",
        "recipient": "individual",
        "authority": "director",
        "requires_vote": True,
        "secret_ballot": True,
        "threshold": 0.8,
        "threshold_base": "all_members",
    }
    assert (by_code["LDTT"]["threshold"], by_code["LDTT"]["threshold_base"]) == (0.5, "votes_cast")
    assert by_code["BANG_KHEN"]["authority"] == "forwarded"
    assert by_code["TTLDXS"]["recipient"] == "collective"


def test_an_award_shows_the_version_of_its_rules_in_force_today_not_an_older_one(api: Api) -> None:
    # The ND98 version (2023 to mid-2025) says secret ballot; today's ND152 version is changed to open.
    today = AwardRule.objects.get(award__code="CSTDCS", effective_to__isnull=True)
    AwardRule.objects.filter(pk=today.pk).update(secret_ballot=False, threshold="0.667")
    row = next(r for r in api("office1").get("/api/awards/").json() if r["code"] == "CSTDCS")
    assert (row["secret_ballot"], row["threshold"]) == (False, 0.667)


def test_reference_data_needs_an_authenticated_caller(demo: None) -> None:
    for path in ("/api/units/", "/api/people/", "/api/campaigns/", "/api/awards/"):
        assert APIClient().get(path).status_code == 401, path
