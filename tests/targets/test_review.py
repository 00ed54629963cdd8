"""A year of results entered through the pages and the API; the review proposes ratings line by line;
the office confirms one and corrects another; the confirmed rating decides a TTLĐXS nomination."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from nominations.models import Review, State, TargetResult, UnitRating
from nominations.rules import targets as rules
from nominations.selectors.targets import expected_periods
from nominations.selectors.targets import targets_of as targets_for
from tests.builders import core as builders
from tests.targets.support import annual, clear_results, stand_on
from workflow.base.errors import RuleNotMet
from workflow.models import AuditEvent
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db


def the_year(unit_code: str) -> list[tuple[Any, rules.Period]]:
    unit = builders.person(f"head-{unit_code}").unit
    campaign = annual()
    return sorted(
        ((tg, p) for tg in targets_for(campaign=campaign, unit=unit) for p in expected_periods(tg, campaign)),
        key=lambda pair: pair[1].sort_key,
    )


def value_for(target: Any, period: rules.Period, *, weak_quarter: str = "") -> dict[str, str]:
    if target.kind == rules.DELIVERABLE:
        return {"delivered_on": "28/06/2023"}
    if target.kind == rules.RANKING:
        return {"value": "2"}
    if target.kind == rules.POINTS:
        return {"value": "98,9"}
    return {"value": "95" if period.code == weak_quarter else "100"}


@pytest.fixture
def year_entered(demo: None, monkeypatch: pytest.MonkeyPatch, api: Callable[[str], APIClient]) -> None:
    """TKTH enters its year on the page, TKXH through the API (one quarter short of the programme)."""
    clear_results("tkth", "tkxh")
    page = builders.signed_in("head-tkth")
    for target, period in the_year("tkth"):
        stand_on(monkeypatch, period.ends_on + datetime.timedelta(days=1))
        data = {"campaign": target.campaign_id, "target": target.pk, "period": period.code}
        data.update({f"t{target.pk}-{k}": v for k, v in value_for(target, period).items()})
        assert page.post("/chi-tieu/bao-cao/", data).status_code == 302
    for target, period in the_year("tkxh"):
        stand_on(monkeypatch, period.ends_on + datetime.timedelta(days=1))
        body = {
            "target": target.pk,
            "period": period.code,
            **value_for(target, period, weak_quarter="2023-Q3"),
        }
        response = api("head-tkxh").post("/api/target-results/", body)
        assert response.status_code == 201, response.content
    stand_on(monkeypatch, datetime.date(2024, 1, 10))


def test_the_year_is_entered_on_time_through_pages_and_api(year_entered: None) -> None:
    tkth = TargetResult.objects.filter(unit__code="tkth")
    assert tkth.count() == 11 and not tkth.filter(late=True).exists() and not tkth.filter(met=False).exists()
    tkxh = TargetResult.objects.filter(unit__code="tkxh")
    assert tkxh.count() == 10 and list(tkxh.filter(met=False).values_list("period", flat=True)) == ["2023-Q3"]


def test_the_review_proposes_confirms_corrects_and_the_rating_decides_ttldxs(
    year_entered: None, api: Callable[[str], APIClient]
) -> None:
    office = api("office1")
    review = office.post("/api/reviews/", {"campaign": annual().pk, "kind": "year"})
    assert review.status_code == 201, review.content
    review_id = review.json()["id"]
    assert api("head-tkth").post(f"/api/reviews/{review_id}/propose/").status_code == 404  # not the office's
    proposed = {row["unit"]: row for row in office.post(f"/api/reviews/{review_id}/propose/").json()}
    assert (proposed["tkth"]["proposed"], proposed["tkth"]["percent"]) == ("htxs", "100.00")
    assert (proposed["tkxh"]["proposed"], proposed["tkxh"]["percent"]) == ("htt", "92.86")
    assert proposed["nsba"]["proposed"] == "ht"
    lines = proposed["tkxh"]["computation"]["lines"]
    assert "6 đạt đúng hạn" in lines[0]["text"] and "chưa đạt 1" in lines[0]["text"]
    assert "HTT" in proposed["tkxh"]["computation"]["steps"][-1]

    # A collective's title waits for the confirmation once the year's summary exists.
    xs_tkth = builders.draft(award="TTLDXS", head="head-tkth", unit_nominee=True)
    with pytest.raises(RuleNotMet) as waiting:
        t.nomination_submit(nomination=xs_tkth, actor=builders.person("head-tkth"))
    assert {r.rule for r in waiting.value.refusals} == {"unit_rating_confirmed"}

    # The office confirms TKTH on the review page (line by line there), confirms TKXH as proposed,
    # and corrects NS-BA with a reason.
    page = builders.signed_in("office1")
    shown = page.get(f"/chi-tieu/so-ket/?campaign={annual().pk}&kind=year").content.decode()
    assert "đạt nộp muộn" in shown and "Ngưỡng: HTXS từ 95%" in shown
    confirmed = page.post(
        f"/chi-tieu/so-ket/xep-loai/{proposed['tkth']['id']}/", {"rating": "htxs", "reason": ""}
    )
    assert confirmed.status_code == 302
    assert office.post(f"/api/unit-ratings/{proposed['tkxh']['id']}/confirm/", {}).json()["rating"] == "htt"
    no_reason = office.post(f"/api/unit-ratings/{proposed['nsba']['id']}/confirm/", {"rating": "htt"})
    assert no_reason.status_code == 400 and "lý do" in str(no_reason.json())
    corrected = office.post(
        f"/api/unit-ratings/{proposed['nsba']['id']}/confirm/",
        {"rating": "htt", "reason": "Quý 4 đã báo cáo bằng văn bản giấy, được Lãnh đạo Cục chấp thuận"},
    )
    assert corrected.status_code == 200 and corrected.json()["rating"] == "htt"
    again = office.post(
        f"/api/unit-ratings/{proposed['nsba']['id']}/confirm/", {"rating": "htxs", "reason": "x"}
    )
    assert again.status_code == 409
    kinds = set(
        AuditEvent.objects.filter(object_type="nominations.unitrating").values_list("transition", flat=True)
    )
    assert kinds == {"unit_rating_confirm", "unit_rating_correct"}

    # TTLĐXS: accepted for TKTH (HTXS confirmed), refused for TKXH citing its confirmed HTT.
    assert (
        t.nomination_submit(nomination=xs_tkth, actor=builders.person("head-tkth")).state == State.SUBMITTED
    )
    xs_tkxh = builders.draft(award="TTLDXS", head="head-tkxh", unit_nominee=True)
    with pytest.raises(RuleNotMet) as refused:
        t.nomination_submit(nomination=xs_tkxh, actor=builders.person("head-tkxh"))
    [refusal] = refused.value.refusals
    assert refusal.rule == "unit_rating"
    assert "Hoàn thành tốt nhiệm vụ" in refusal.message and "92.86" in refusal.message
    assert "Điều 27" in refusal.legal_basis and "98/2023" in refusal.legal_basis
    # TTLĐTT needs only "hoàn thành tốt": TKXH qualifies for it.
    tt_tkxh = builders.draft(award="TTLDTT", head="head-tkxh", unit_nominee=True)
    assert (
        t.nomination_submit(nomination=tt_tkxh, actor=builders.person("head-tkxh")).state == State.SUBMITTED
    )
    # The nomination's page shows the confirmed rating it was judged by.
    page_of_refused = builders.signed_in("head-tkxh").get(f"/ho-so/{xs_tkxh.pk}/").content.decode()
    assert "Xếp loại đơn vị (tổng kết năm)" in page_of_refused and "92,86%" in page_of_refused
    # A unit head reads their unit's confirmed rating, never another's.
    mine = api("head-tkxh").get("/api/unit-ratings/").json()["results"]
    assert [row["unit"] for row in mine] == ["tkxh"]
    assert UnitRating.objects.filter(review__kind=Review.Kind.YEAR, state="confirmed").count() == 3


def test_the_half_year_review_counts_only_the_periods_ending_by_30_june(year_entered: None) -> None:
    from workflow.services import target_reviews as services

    review = services.review_get_or_create(actor=builders.person("office1"), campaign=annual(), kind="half")
    assert review.covers_until == datetime.date(2023, 6, 30)
    tkxh = {r.unit.code: r for r in services.review_propose(actor=builders.person("office1"), review=review)}[
        "tkxh"
    ]
    assert tkxh.proposed == "htxs"  # Q3's shortfall is after the phase review
    assert [line["expected"] for line in tkxh.computation["lines"]] == [3, 1, 0]


def test_proposing_needs_the_office(year_entered: None, api: Callable[[str], APIClient]) -> None:
    assert (
        api("head-tkth").post("/api/reviews/", {"campaign": annual().pk, "kind": "year"}).status_code == 403
    )
    assert (
        api("office1").post("/api/reviews/", {"campaign": annual().pk, "kind": "quarter"}).status_code == 400
    )
