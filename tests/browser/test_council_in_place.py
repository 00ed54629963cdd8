"""The council's in-place updates in a real browser (Debian chromium via Playwright, htmx on): the secretary
puts items on the agenda and records everyone's attendance without a page load, and a member votes two
items on a phone, each from its card with a review step and a confirmation. Every state of the page is
checked at 390×844 and 1366×900: no sideways scroll, no control under 24×24 px on the phone, axe-core 0
serious/critical. Screenshots, if any, go to a temporary folder only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from nominations.models import Attendance, BallotParticipation, Nomination
from tests.browser.support import DESKTOP, PHONE, Visitor, chromium_path, launch_chromium
from tests.builders.council import NINE, evaluated, forget_cached_ids, session_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]

RECEIPT = re.compile(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){5}")
# Set before an in-place update and read after it: a page load would have dropped it.
MARK = "() => { window.__stayed = true; }"
STAYED = "() => window.__stayed === true"


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


def settle(visitor: Visitor, selector: str) -> None:
    """Wait for what an in-place update brings, and for htmx to finish settling it (no class of its left)."""
    visitor.page.wait_for_selector(selector)
    visitor.page.wait_for_function(SETTLED)
    visitor.page.wait_for_timeout(200)  # Bootstrap's colour transitions (.15s) end before axe reads colours


@pytest.fixture(autouse=True)
def _fresh_ids() -> None:
    forget_cached_ids()


def _vote_on_card(visitor: Visitor, pk: int, choice: str) -> str:
    """Choose on the card, review it (audited), confirm; the card turns to "voted" with its receipt."""
    page = visitor.page
    page.click(f"label[for=c{pk}-{choice}]")
    page.click(f"#review-{pk}")
    settle(visitor, f"#confirm-{pk}")
    assert "Phiếu chưa được bỏ" in page.inner_text(f"#item-{pk}")
    visitor.audit(f"card {pk} in review")
    page.click(f"#confirm-{pk}")
    settle(visitor, f"#item-{pk} .voted")
    card = page.inner_text(f"#item-{pk}")
    assert "Tán thành" not in card and "Không biểu quyết" not in card  # the choice is not shown back
    receipt = page.inner_text(f"#item-{pk} code.receipt")
    assert RECEIPT.fullmatch(receipt), receipt
    return receipt


def test_the_secretary_fills_the_session_in_place_and_a_member_votes_two_cards_on_a_phone(
    demo: None, live_server: Any
) -> None:
    items = [evaluated(nominee=name) for name in ("staff-tkth-1", "staff-tkth-2", "staff-tkkt-1")]
    session = session_with([], open_=False)
    detail = f"/hoi-dong/{session.pk}/"
    with launch_chromium() as browser:
        secretary = Visitor(browser, live_server.url, "secretary", viewport=PHONE)
        page = secretary.page
        secretary.go(detail)
        secretary.audit("the session, planned, empty")
        page.evaluate(MARK)
        # Nothing chosen: the error is on the form, in place.
        page.click("#agenda-save")
        settle(secretary, "#agenda-error")
        secretary.audit("the agenda form with its error")
        for item in items:
            page.check(f"#add-{item.pk}")
        page.click("#agenda-save")
        settle(secretary, "#agenda-saved")
        assert page.evaluate(STAYED), "the agenda form loaded a new page"
        assert "Đã đưa 3 hồ sơ vào nội dung phiên họp." in page.inner_text("#agenda-saved")
        assert page.locator("#agenda tbody tr[id^=item-]").count() == 3
        assert "0 trên 3 đã bỏ phiếu" in page.inner_text("#council-progress")  # updated out of band
        secretary.audit("the agenda, saved in place")
        page.once("dialog", lambda dialog: dialog.accept())  # "Khai mạc phiên họp và mở bỏ phiếu?…"
        secretary.click(f"form[action='/hoi-dong/{session.pk}/khai-mac/'] button")
        page.evaluate(MARK)
        selects = page.locator("#attendance-form select").all()
        assert len(selects) == len(NINE)
        for select in selects:
            select.select_option("present")
        selects[-1].select_option("remote")
        page.click("#attendance-save")
        settle(secretary, "#attendance-saved")
        assert page.evaluate(STAYED), "the attendance form loaded a new page"
        assert "Đã ghi nhận điểm danh 9 thành viên." in page.inner_text("#attendance-saved")
        secretary.audit("the attendance, saved in place")
        secretary.close()

        wide = Visitor(browser, live_server.url, "secretary", viewport=DESKTOP)
        wide.go(detail)
        wide.audit("the open session on a desktop")
        wide.close()

        member = Visitor(browser, live_server.url, "council2", viewport=PHONE)
        page = member.page
        member.go(f"/hoi-dong/{session.pk}/phieu-cua-toi/")
        assert page.locator(".vote-card").count() == 3
        assert "0 trên 3 đã bỏ phiếu" in page.inner_text("#progress-label")
        member.audit("the cards")
        page.evaluate(MARK)
        # Reviewing a card with nothing chosen says so on the card.
        page.click(f"#review-{items[0].pk}")
        settle(member, f"#error-{items[0].pk}")
        member.audit("a card with its error")
        first = _vote_on_card(member, items[0].pk, "yes")
        assert "1 trên 3 đã bỏ phiếu" in page.inner_text("#progress-label")
        # The second card: review, go back and choose again, then confirm.
        page.click(f"label[for=c{items[1].pk}-no]")
        page.click(f"#review-{items[1].pk}")
        page.click(f"#back-{items[1].pk}")
        settle(member, f"#c{items[1].pk}-no:checked")
        second = _vote_on_card(member, items[1].pk, "abstain")
        assert "2 trên 3 đã bỏ phiếu" in page.inner_text("#progress-label")
        assert page.evaluate(STAYED), "voting on a card loaded a new page"
        assert page.locator("fieldset.choices").count() == 1
        member.audit("two cards voted")
        # Every receipt of this device on one page.
        member.go(f"/hoi-dong/{session.pk}/bien-nhan/")
        assert sorted(page.locator("code.receipt").all_inner_texts()) == sorted([first, second])
        member.audit("the receipts")
        member.close()

        phone_desktop = Visitor(browser, live_server.url, "council2", viewport=DESKTOP)
        phone_desktop.go(f"/hoi-dong/{session.pk}/phieu-cua-toi/")
        phone_desktop.audit("the cards on a desktop")
        phone_desktop.close()
    assert set(Nomination.objects.filter(council_session=session).values_list("pk", flat=True)) == {
        n.pk for n in items
    }
    assert Attendance.objects.filter(session=session, mode="present").count() == len(NINE) - 1
    assert BallotParticipation.objects.filter(session=session, member__username="council2").count() == 2
