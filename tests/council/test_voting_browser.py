"""The council on a phone and a desktop, in a real browser (Debian chromium via Playwright): a member votes
a 7-item agenda through the cards, the review step and the receipts page; the secretary fills the agenda
and the attendance in one form each and closes with a confirmation; the Director issues a decision.
Every page: no sideways scroll, no control under 24×24 px on the phone, axe-core 0 serious/critical."""

from __future__ import annotations

import re
from typing import Any

import pytest

from nominations.models import Attendance, BallotParticipation, CouncilSession, Nomination, State
from tests.builders import core as builders
from tests.builders.council import NINE, evaluated, forget_cached_ids, session_with
from tests.builders.decisions import proposed
from tests.council.browser_support import CHROMIUM, DESKTOP, NARROW, PHONE, check_page, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]

NOMINEES = [
    "council4",
    "staff-tkth-1",
    "staff-tkth-2",
    "staff-tkth-3",
    "staff-tkkt-1",
    "staff-tkkt-2",
    "staff-tkxh-1",
]


@pytest.fixture(autouse=True)
def _fresh_ids() -> None:
    forget_cached_ids()


@pytest.mark.parametrize("size", [PHONE, NARROW, DESKTOP], ids=["phone", "narrow", "desktop"])
def test_a_member_votes_a_seven_item_agenda_reviews_and_keeps_the_receipts(
    demo: None, live_server: Any, size: dict[str, int]
) -> None:
    items = [evaluated(nominee=name) for name in NOMINEES]
    session = session_with(items)
    phone = size is not DESKTOP
    base = live_server.url
    with signed_in(base, "council4", size) as page:
        page.goto(f"{base}/hoi-dong-cua-toi/")
        check_page(page, phone=phone)
        page.click(f"a[href='/hoi-dong/{session.pk}/phieu-cua-toi/']")
        page.wait_for_load_state()
        assert page.locator(".vote-card").count() == 7
        assert "0 trên 7 đã bỏ phiếu" in page.inner_text("#progress-label")
        own = page.locator(f"#item-{items[0].pk} .concerns-me")
        assert own.is_visible() and "chính bạn" in own.inner_text()
        assert page.locator(".concerns-me").count() == 1
        check_page(page, phone=phone)
        # The whole label is the target: tap the words, not the radio.
        page.click(f"label[for=c{items[0].pk}-abstain]")
        page.click(f"label[for=c{items[1].pk}-yes]")
        page.click(f"label[for=c{items[2].pk}-no]")
        page.click("#vote-submit button[type=submit]")  # the bar that reviews every chosen card
        page.wait_for_load_state()
        review = page.inner_text(".review-list")
        assert f"Bạn chọn Không biểu quyết cho nội dung {items[0].nominee}" in review
        assert f"Bạn chọn Tán thành cho nội dung {items[1].nominee}" in review
        assert f"Bạn chọn Không tán thành cho nội dung {items[2].nominee}" in review
        check_page(page, phone=phone)
        page.click("#confirm-form button[type=submit]")
        page.wait_for_url(f"{base}/hoi-dong/{session.pk}/bien-nhan/")
        receipts = page.locator("code.receipt").all_inner_texts()
        assert len(receipts) == 3 and all(re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){5}", r) for r in receipts)
        assert page.locator(".receipts .badge.text-bg-success").count() == 3
        assert "3 trên 7 đã bỏ phiếu" in page.inner_text("#progress-label")
        check_page(page, phone=phone)
        # Back on the cards: the three voted show as done, four are left to choose.
        page.goto(f"{base}/hoi-dong/{session.pk}/phieu-cua-toi/")
        assert page.locator(".voted").count() == 3 and page.locator("fieldset.choices").count() == 4
    assert BallotParticipation.objects.filter(member__username="council4").count() == 3


def test_the_secretary_fills_the_agenda_and_the_attendance_and_closes_after_confirming(
    demo: None, live_server: Any
) -> None:
    items = [evaluated(nominee=name) for name in NOMINEES[1:4]]
    session = session_with([], open_=False)
    base = live_server.url
    with signed_in(base, "secretary", PHONE) as page:
        page.goto(f"{base}/hoi-dong/{session.pk}/")
        check_page(page, phone=True)
        page.check("#agenda-all")
        page.click("#agenda-form button[type=submit]")
        page.wait_for_selector("#agenda-saved")  # saved in place (htmx), no page load
        assert "Đã đưa 3 hồ sơ vào nội dung phiên họp." in page.inner_text("#agenda-saved")
        page.once("dialog", lambda dialog: dialog.accept())  # opening the vote asks first
        page.click(f"form[action='/hoi-dong/{session.pk}/khai-mac/'] button")
        page.wait_for_load_state()
        for select in page.locator("#attendance-form select").all():
            select.select_option("present")
        page.click("#attendance-form button[type=submit]")
        page.wait_for_selector("#attendance-saved")
        assert "Đã ghi nhận điểm danh 9 thành viên." in page.inner_text("#attendance-saved")
        check_page(page, phone=True)
        # Closing asks first; declining the question leaves the vote open.
        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("#close-form button[type=submit]")
        page.wait_for_timeout(300)
        assert asked and "Kết thúc biểu quyết" in asked[0]
    assert set(Nomination.objects.filter(council_session=session).values_list("pk", flat=True)) == {
        n.pk for n in items
    }
    assert Attendance.objects.filter(session=session, mode="present").count() == len(NINE)
    assert CouncilSession.objects.get(pk=session.pk).state == "open"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_director_issues_a_decision_after_confirming(
    demo: None, live_server: Any, size: dict[str, int]
) -> None:
    session = builders.session()
    waiting = [proposed(nominee=name, session=session) for name in ("staff-tkth-2", "staff-tkkt-2")]
    base = live_server.url
    with signed_in(base, "director", size) as page:
        page.goto(f"{base}/cuc-truong/")  # the old address leads to the decisions page
        assert page.url == f"{base}/quyet-dinh/"
        check_page(page, phone=size is PHONE)
        page.check("#select-all")
        page.fill("#id_number", "41/QĐ-CTK")
        page.fill("#id_date", "2024-01-10")
        asked: list[str] = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        page.click("#issue-form button.primary")
        page.wait_for_url(f"{base}/quyet-dinh/*/")
        assert asked and "Ban hành quyết định" in asked[0]
        check_page(page, phone=size is PHONE)
    assert {n.state for n in Nomination.objects.filter(pk__in=[n.pk for n in waiting])} == {State.APPROVED}
