from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nominations.models import AwardMethod, AwardRecord, Campaign, Nomination, Person, State
from nominations.rules import eligibility
from tests.builders import core as builders
from workflow.base.errors import InvalidInput, NotPermitted, RuleNotMet, WrongState
from workflow.models import AuditEvent
from workflow.services import award_history as services
from workflow.services import decisions as decision_services
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db
BANG_KHEN_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 74; Nghị định 98/2023/NĐ-CP"
CSTD_TINH_BASIS = "Luật Thi đua, Khen thưởng 2022, Điều 22; Nghị định 98/2023/NĐ-CP"


def _prior_years_refusal(nomination: Nomination) -> eligibility.Refusal | None:
    refusals = eligibility.check_criteria(nomination, eligibility.rule_of(nomination))
    return next((r for r in refusals if r.rule == "prior_years"), None)


@pytest.mark.parametrize(
    ("nominee", "missing"),
    [
        ("staff-tkth-1", None),  # CSTĐCS 2021 and 2022
        ("staff-prtc-1", None),  # CSTĐCS 2021 and 2022
        ("staff-tkkt-1", "2021"),  # CSTĐCS 2022 only
        ("staff-nhtb-2", "2021"),  # CSTĐCS 2020 and 2022: not consecutive
        ("staff-tkxh-1", "2021, 2022"),  # LĐTT only
    ],
)
def test_a_bang_khen_needs_two_consecutive_years_of_cstdcs_from_the_award_history(
    demo: None, nominee: str, missing: str | None
) -> None:
    nomination = builders.draft(award="BANG_KHEN", nominee=nominee)
    refusal = _prior_years_refusal(nomination)
    if missing is None:
        assert refusal is None
    else:
        assert refusal is not None
        assert refusal.legal_basis == BANG_KHEN_BASIS
        assert f"còn thiếu năm: {missing}" in refusal.message


@pytest.mark.parametrize(("nominee", "eligible"), [("staff-tkth-1", True), ("staff-tkkt-1", False)])
def test_a_provincial_emulation_fighter_needs_the_cstdcs_of_the_years_before(
    demo: None, nominee: str, eligible: bool
) -> None:
    nomination = builders.draft(award="CSTD_TINH", nominee=nominee)
    refusal = _prior_years_refusal(nomination)
    assert (refusal is None) is eligible
    if refusal is not None:
        assert refusal.legal_basis == CSTD_TINH_BASIS


def test_submitting_a_bang_khen_without_the_history_is_refused_citing_the_law(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = builders.draft(award="BANG_KHEN", nominee="staff-nhtb-2")
    with pytest.raises(RuleNotMet) as refused:
        t.nomination_submit(nomination=nomination, actor=people["head-nhtb"])
    assert [r.legal_basis for r in refused.value.refusals if r.rule == "prior_years"] == [BANG_KHEN_BASIS]


def test_an_earlier_year_entered_by_the_office_is_read_by_the_multi_year_rule(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = builders.draft(award="BANG_KHEN", nominee="staff-tkkt-1")
    assert _prior_years_refusal(nomination) is not None
    record = services.award_record_add(
        actor=people["office1"],
        person=people["staff-tkkt-1"],
        award="CSTDCS",
        year=2021,
        decision_number="15/QĐ-CTK",
    )
    assert _prior_years_refusal(nomination) is None
    event = AuditEvent.objects.get(data__action="award_record_added", object_id=str(record.pk))
    assert event.actor == people["office1"] and event.data["year"] == 2021


def test_an_approval_here_enters_the_history_and_counts_for_the_next_years_rules(
    demo: None, people: dict[str, Person]
) -> None:
    ldtt = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkkt-1"), State.APPROVED)
    cstdcs = builders.draft(
        award="CSTDCS", nominee="staff-tkkt-1", initiatives=["Quy trình kiểm tra dữ liệu giá"]
    )
    cstdcs = builders.to_state(cstdcs, State.APPROVED)
    record = AwardRecord.objects.get(nomination=cstdcs)
    assert (record.person, record.award.code, record.year) == (people["staff-tkkt-1"], "CSTDCS", 2023)
    # Each approval issued its own decision: the LĐTT's is 01, the CSTĐCS's 02.
    assert (record.decision_number, record.decision_date) == ("02/QĐ-CTK", datetime.date(2024, 1, 10))
    assert AwardRecord.objects.filter(nomination=ldtt).exists()
    next_year = Campaign.objects.create(
        name="Thi đua năm 2024",
        kind=Campaign.Kind.ANNUAL,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    bang_khen = builders.draft(award="BANG_KHEN", nominee="staff-tkkt-1", campaign=next_year)
    assert _prior_years_refusal(bang_khen) is None  # 2022 from the demo history, 2023 decided here


def test_a_granted_forwarded_award_enters_the_history_and_a_revoked_one_leaves_it(
    demo: None, people: dict[str, Person]
) -> None:
    nomination = builders.to_state(builders.draft(award="BANG_KHEN", nominee="staff-tkth-1"), State.PROPOSED)
    nomination = t.nomination_forward(
        nomination=nomination, actor=people["director"], submission_number="30/TTr-CTK"
    )
    assert not AwardRecord.objects.filter(nomination=nomination).exists()
    nomination = t.nomination_record_outcome(
        nomination=nomination, actor=people["office1"], granted=True, decision_number="1234/QĐ-UBND"
    )
    record = AwardRecord.objects.get(nomination=nomination)
    assert record.decision_number == "1234/QĐ-UBND" and record.year == 2023
    approved = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.APPROVED)
    assert AwardRecord.objects.filter(nomination=approved).exists()
    t.nomination_revoke(nomination=approved, actor=people["director"], comment="Kê khai không trung thực")
    assert not AwardRecord.objects.filter(nomination=approved).exists()
    # the approve and revoke events are the record of it (a transition writes exactly one event)
    decided = AuditEvent.objects.get(nomination=approved, transition="approve")
    assert decided.data["decision_number"] == "01/QĐ-CTK"
    assert AuditEvent.objects.filter(nomination=approved, transition="revoke").count() == 1


def test_a_record_typed_in_earlier_is_linked_to_the_decision_not_doubled(
    demo: None, people: dict[str, Person]
) -> None:
    typed = services.award_record_add(
        actor=people["office1"], person=people["staff-tkth-2"], award="LDTT", year=2023, decision_number="tạm"
    )
    approved = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.APPROVED)
    assert list(AwardRecord.objects.filter(person=people["staff-tkth-2"], year=2023)) == [typed]
    typed.refresh_from_db()
    assert typed.nomination == approved and typed.decision_number == "01/QĐ-CTK"


def test_only_the_office_edits_history_only_for_earlier_years_and_never_a_decision_made_here(
    demo: None, people: dict[str, Person]
) -> None:
    person = people["staff-tkxh-2"]
    with pytest.raises(NotPermitted):
        services.award_record_add(
            actor=people["head-tkxh"], person=person, award="LDTT", year=2021, decision_number="1"
        )
    with pytest.raises(InvalidInput) as this_year:
        services.award_record_add(
            actor=people["office1"],
            person=person,
            award="LDTT",
            year=timezone.localdate().year,
            decision_number="1",
        )
    assert this_year.value.field == "year"
    with pytest.raises(InvalidInput) as collective:
        services.award_record_add(
            actor=people["office1"], person=person, award="TTLDTT", year=2021, decision_number="1"
        )
    assert collective.value.field == "award"
    services.award_record_add(
        actor=people["office1"], person=person, award="LDTT", year=2021, decision_number="1"
    )
    with pytest.raises(InvalidInput):
        services.award_record_add(
            actor=people["office1"], person=person, award="LDTT", year=2021, decision_number="2"
        )
    approved = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.APPROVED)
    decided = AwardRecord.objects.get(nomination=approved)
    with pytest.raises(WrongState):
        services.award_record_remove(actor=people["office1"], record=decided)
    with pytest.raises(WrongState):
        services.award_record_update(
            actor=people["office1"], record=decided, award="LDTT", year=2020, decision_number="x"
        )


def test_everyone_reads_their_own_history_and_only_the_office_and_auditor_read_others(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    owner = people["staff-tkth-1"]
    client.force_login(owner)
    own = client.get("/tham-gia/qua-trinh-khen-thuong/").content.decode()
    assert "Chiến sĩ thi đua cơ sở" in own and "12/QĐ-CTK" in own and "2021" in own
    assert "Thêm khen thưởng" not in own
    client.force_login(people["staff-tkth-2"])
    assert client.get(f"/tham-gia/qua-trinh-khen-thuong/{owner.pk}/").status_code == 404
    assert client.get("/tham-gia/qua-trinh-khen-thuong/can-bo/").status_code == 403
    for reader in ("office1", "auditor"):
        client.force_login(people[reader])
        page = client.get(f"/tham-gia/qua-trinh-khen-thuong/{owner.pk}/").content.decode()
        assert "15/QĐ-CTK" in page
        assert ("Thêm khen thưởng" in page) is (reader == "office1")


def test_the_office_adds_edits_and_removes_an_earlier_year_on_the_page(
    demo: None, client: Client, people: dict[str, Person]
) -> None:
    person = people["staff-nptn-1"]
    client.force_login(people["auditor"])
    form = {"award": "LDTT", "year": "2020", "decision_number": "08/QĐ-CTK", "decision_date": "2020-12-30"}
    assert client.post(f"/tham-gia/qua-trinh-khen-thuong/{person.pk}/them/", form).status_code == 403
    client.force_login(people["office2"])
    assert client.post(f"/tham-gia/qua-trinh-khen-thuong/{person.pk}/them/", form).status_code == 302
    record = AwardRecord.objects.get(person=person)
    assert record.decision_date == datetime.date(2020, 12, 30)
    bad = client.post(f"/tham-gia/qua-trinh-khen-thuong/{person.pk}/them/", {**form, "year": "2099"})
    assert (
        bad.status_code == 200 and "Chỉ nhập quá trình khen thưởng của các năm trước" in bad.content.decode()
    )
    edited = client.post(
        f"/tham-gia/qua-trinh-khen-thuong/ban-ghi/{record.pk}/sua/", {**form, "decision_number": "09/QĐ-CTK"}
    )
    assert edited.status_code == 302
    record.refresh_from_db()
    assert record.decision_number == "09/QĐ-CTK"
    assert client.post(f"/tham-gia/qua-trinh-khen-thuong/ban-ghi/{record.pk}/xoa/").status_code == 302
    assert not AwardRecord.objects.filter(person=person).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="nominations.awardrecord", object_id=str(record.pk))
        .order_by("seq")
        .values_list("data__action", flat=True)
    )
    assert actions == ["award_record_added", "award_record_changed", "award_record_removed"]


def test_one_approval_writes_the_award_history_exactly_once_with_the_decisions_method(
    demo: None, people: dict[str, Person]
) -> None:
    proposed = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    table = AwardRecord._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        decision = decision_services.decision_issue(
            nominations=[proposed],
            actor=people["director"],
            number="07/QĐ-CTK",
            date=datetime.date(2024, 1, 10),
            signer=people["director"],
            method=AwardMethod.AD_HOC,  # not the annual campaign's own (regular)
        )
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) and f'"{table}"' in q["sql"]
    ]
    assert len(writes) == 1, writes
    record = AwardRecord.objects.get(nomination=proposed)
    assert (
        (record.decision_number, record.method)
        == ("07/QĐ-CTK", AwardMethod.AD_HOC)
        == (
            decision.number,
            decision.method,
        )
    )
