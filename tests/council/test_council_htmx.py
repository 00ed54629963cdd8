"""The council's in-place updates (htmx): the secretary's attendance form and agenda form, and a member's
vote card (review, then confirm). An htmx request (`HX-Request: true`) is answered with the part of the page
that changed — the form's error on the form, 400/403/404/409 as the API would; the same POST without htmx
keeps its redirect. Real views, templates and services (Django's test client)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from nominations.models import Attendance, BallotParticipation, CouncilSession, Nomination, State
from tests.builders import core as builders
from tests.builders.council import NINE, close, evaluated, session_with, spread, vote
from workflow.services import transitions

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
RECEIPT = re.compile(r'<code class="receipt">([A-Z0-9-]+)</code>')


def login(username: str) -> Client:
    client = Client()
    client.force_login(builders.person(username))
    return client


def is_partial(text: str) -> bool:
    return "<html" not in text and "<nav" not in text


def two() -> list[Nomination]:
    return [evaluated(nominee="staff-tkth-1"), evaluated(nominee="staff-tkth-2")]


# --- attendance -------------------------------------------------------------------------------------------
def test_the_secretary_saves_everyones_attendance_in_place(demo: None) -> None:
    session = session_with(two()[:1])
    members = list(session.members.order_by("username"))
    data = {f"mode-{m.pk}": "present" for m in members}
    data[f"mode-{members[0].pk}"] = "remote"
    answer = login("secretary").post(f"/hoi-dong/{session.pk}/diem-danh/", data, **HX)
    assert answer.status_code == 200 and is_partial(answer.text)
    assert answer.text.lstrip().startswith("<form") and 'id="attendance-form"' in answer.text
    assert "Đã ghi nhận điểm danh 9 thành viên." in answer.text
    # The form comes back as recorded: the remote member's select has "remote" selected.
    row = answer.text.split(f'id="mode-{members[0].pk}"')[1].split("</select>")[0]
    assert '<option value="remote" selected>' in row
    modes = dict(Attendance.objects.filter(session=session).values_list("member_id", "mode"))
    assert modes[members[0].pk] == "remote" and list(modes.values()).count("present") == 8
    # The draft minutes follow out of band: their list of those present reads the new attendance.
    minutes = answer.text.split('<section class="card minutes" id="minutes" hx-swap-oob="true">')[1]
    present = minutes.split('id="minutes-attendance"')[1].split("</table>")[0]
    assert str(Attendance.Mode("remote").label) in present and "DỰ THẢO" in minutes


def test_a_bad_attendance_value_is_an_error_on_its_field_and_nothing_is_written(demo: None) -> None:
    session = session_with(two()[:1])
    first, second = session.members.order_by("username")[:2]
    answer = login("secretary").post(
        f"/hoi-dong/{session.pk}/diem-danh/", {f"mode-{first.pk}": "absent", f"mode-{second.pk}": "x"}, **HX
    )
    assert answer.status_code == 400 and is_partial(answer.text)
    assert 'id="attendance-error"' in answer.text and "Hình thức tham dự không hợp lệ." in answer.text
    bad = answer.text.split(f'id="mode-{second.pk}"')[0].rsplit("<select", 1)[1]
    assert "is-invalid" in bad
    kept = answer.text.split(f'id="mode-{first.pk}"')[1].split("</select>")[0]
    assert '<option value="absent" selected>' in kept  # what the secretary chose is kept
    assert not Attendance.objects.filter(session=session).exists()
    empty = login("secretary").post(f"/hoi-dong/{session.pk}/diem-danh/", {}, **HX)
    assert empty.status_code == 400 and "Chọn hình thức tham dự" in empty.text


def test_attendance_in_place_is_403_for_a_member_404_outside_and_409_once_closed(demo: None) -> None:
    item = evaluated()
    session = session_with([item], members=NINE[:-1])
    member = session.members.order_by("username").first()
    assert member is not None
    data = {f"mode-{member.pk}": "present"}
    assert login("council1").post(f"/hoi-dong/{session.pk}/diem-danh/", data, **HX).status_code == 403
    assert login("council7").post(f"/hoi-dong/{session.pk}/diem-danh/", data, **HX).status_code == 404
    assert login("secretary").post("/hoi-dong/999999/diem-danh/", data, **HX).status_code == 404
    vote(session, item, spread(yes=8, members=NINE[:-1]))
    close(session)
    closed = login("secretary").post(f"/hoi-dong/{session.pk}/diem-danh/", data, **HX)
    assert closed.status_code == 409 and "biên bản đã chốt" in closed.text
    assert not Attendance.objects.filter(session=session).exists()
    # Without htmx, the same POST keeps its redirect and message.
    assert login("secretary").post(f"/hoi-dong/{session.pk}/diem-danh/", data).status_code == 302


# --- the agenda -------------------------------------------------------------------------------------------
def test_the_secretary_puts_many_items_on_the_agenda_in_place(demo: None) -> None:
    session = session_with([], open_=False)
    first, second = two()
    answer = login("secretary").post(
        f"/hoi-dong/{session.pk}/noi-dung/", {"nominations": [first.pk, second.pk]}, **HX
    )
    assert answer.status_code == 200 and is_partial(answer.text)
    assert answer.text.lstrip().startswith("<section") and 'id="agenda"' in answer.text
    assert "Đã đưa 2 hồ sơ vào nội dung phiên họp." in answer.text
    assert f'id="item-{first.pk}"' in answer.text and f'id="item-{second.pk}"' in answer.text
    assert f'value="{first.pk}"' not in answer.text  # no longer offered
    # The secretary sits on the session: their progress is updated out of band ("0 of 2").
    assert 'id="council-progress"' in answer.text and 'hx-swap-oob="innerHTML"' in answer.text
    assert "0 trên 2 đã bỏ phiếu" in answer.text
    assert set(Nomination.objects.filter(council_session=session).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_agenda_form_in_place_shows_its_errors_on_the_form(demo: None) -> None:
    session = session_with([], open_=False)
    first, second = two()
    secretary = login("secretary")
    nothing = secretary.post(f"/hoi-dong/{session.pk}/noi-dung/", {}, **HX)
    assert nothing.status_code == 400 and 'id="agenda-error"' in nothing.text
    assert "Chọn hồ sơ đã thẩm định." in nothing.text
    transitions.nomination_hold(nomination=second, actor=builders.person("office1"), comment="Có khiếu nại")
    refused = secretary.post(
        f"/hoi-dong/{session.pk}/noi-dung/", {"nominations": [first.pk, second.pk]}, **HX
    )
    assert refused.status_code == 409 and "Không hồ sơ nào được đưa vào phiên họp." in refused.text
    assert f'value="{first.pk}" id="add-{first.pk}" checked' in refused.text  # the choice is kept
    assert Nomination.objects.get(pk=first.pk).state == State.EVALUATED


def test_the_agenda_in_place_is_403_for_a_member_404_outside_and_409_once_closed(demo: None) -> None:
    item, extra = two()
    session = session_with([item], members=NINE[:-1])
    data = {"nominations": [extra.pk]}
    assert login("council1").post(f"/hoi-dong/{session.pk}/noi-dung/", data, **HX).status_code == 403
    assert login("council7").post(f"/hoi-dong/{session.pk}/noi-dung/", data, **HX).status_code == 404
    vote(session, item, spread(yes=8, members=NINE[:-1]))
    close(session)
    closed = login("secretary").post(f"/hoi-dong/{session.pk}/noi-dung/", data, **HX)
    assert closed.status_code == 409 and "Phiên họp đã kết thúc" in closed.text
    assert Nomination.objects.get(pk=extra.pk).state == State.EVALUATED


# --- a member's vote card ---------------------------------------------------------------------------------
def test_a_card_is_reviewed_then_confirmed_in_place_and_shows_its_receipt_never_the_choice(
    demo: None,
) -> None:
    first, second = two()
    session = session_with([first, second])
    member = login("council2")
    review = member.post(
        f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {"item": first.pk, f"choice-{first.pk}": "no"}, **HX
    )
    assert review.status_code == 200 and is_partial(review.text)
    assert f"Bạn chọn <strong>Không tán thành</strong> cho nội dung <strong>{first.nominee}</strong>" in (
        review.text
    )
    assert f'id="confirm-{first.pk}"' in review.text
    assert not BallotParticipation.objects.filter(session=session).exists()  # the review writes nothing
    back = member.get(f"/hoi-dong/{session.pk}/phieu-cua-toi/", {"item": first.pk, "choice": "no"}, **HX)
    assert back.status_code == 200 and f'id="c{first.pk}-no" value="no" checked' in back.text
    cast = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": first.pk, "choice": "no"}, **HX)
    assert cast.status_code == 200 and is_partial(cast.text)
    card = cast.text.split("</section>")[0]
    assert "Đã bỏ phiếu" in card and "Không tán thành" not in card and "Tán thành" not in card
    receipt = RECEIPT.search(card)
    assert receipt is not None
    assert "1 trên 2 đã bỏ phiếu" in cast.text and 'hx-swap-oob="innerHTML"' in cast.text
    assert BallotParticipation.objects.filter(session=session, member__username="council2").count() == 1
    # The receipt is kept by this browser: the receipts page and the cards show it, another member's do not.
    assert receipt.group(1) in member.get(f"/hoi-dong/{session.pk}/bien-nhan/").text
    assert receipt.group(1) in member.get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").text
    assert receipt.group(1) not in login("council3").get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").text


def test_a_card_without_a_choice_or_already_voted_answers_with_its_error(demo: None) -> None:
    first, second = two()
    session = session_with([first, second])
    member = login("council2")
    blank = member.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {"item": first.pk}, **HX)
    assert blank.status_code == 400 and f'id="error-{first.pk}"' in blank.text
    assert "Chọn một phương án cho nội dung này" in blank.text
    bad = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": first.pk, "choice": "maybe"}, **HX)
    assert bad.status_code == 400 and f'id="error-{first.pk}"' in bad.text
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": first.pk, "choice": "yes"}, **HX)
    again = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": first.pk, "choice": "no"}, **HX)
    assert again.status_code == 409 and "không thay đổi được" in again.text
    reviewed = member.post(
        f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {"item": first.pk, f"choice-{first.pk}": "no"}, **HX
    )
    assert reviewed.status_code == 409
    assert BallotParticipation.objects.filter(session=session, member__username="council2").count() == 1


def test_a_card_is_403_for_a_non_member_404_outside_or_off_the_agenda_and_409_once_closed(demo: None) -> None:
    first, other = two()
    session = session_with([first], members=NINE[:-1])
    ballot = {"nomination": first.pk, "choice": "yes"}
    assert login("office1").post(f"/hoi-dong/{session.pk}/bo-phieu/", ballot, **HX).status_code == 403
    assert login("council7").post(f"/hoi-dong/{session.pk}/bo-phieu/", ballot, **HX).status_code == 404
    review = {"item": first.pk, f"choice-{first.pk}": "yes"}
    assert (
        login("council7").post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", review, **HX).status_code
        == 404
    )
    off = {"item": other.pk, f"choice-{other.pk}": "yes"}
    assert (
        login("council1").post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", off, **HX).status_code == 404
    )
    assert not BallotParticipation.objects.filter(session=session).exists()
    vote(session, first, spread(yes=7, members=NINE[:-1]))
    close(session)
    late = login("council1").post(f"/hoi-dong/{session.pk}/bo-phieu/", ballot, **HX)
    assert late.status_code == 409 and f'id="error-{first.pk}"' in late.text
    assert (
        login("council1").post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", review, **HX).status_code
        == 409
    )


def test_a_cards_own_review_button_without_javascript_reviews_that_card_only(demo: None) -> None:
    first, second = two()
    session = session_with([first, second])
    page = login("council2").post(
        f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/",
        {"item": second.pk, f"choice-{first.pk}": "yes", f"choice-{second.pk}": "abstain"},
    )
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.count('class="list-group-item review-item"') == 1
    assert f"cho nội dung <strong>{second.nominee}</strong>" in page.text


# --- closing an empty agenda ------------------------------------------------------------------------------
def test_a_session_with_an_empty_agenda_cannot_be_closed_on_the_page(demo: None) -> None:
    session = session_with([])
    refused = login("secretary").post(f"/hoi-dong/{session.pk}/ket-thuc/", follow=True)
    assert refused.status_code == 200
    assert "chưa có nội dung biểu quyết" in refused.text and "alert-danger" in refused.text
    assert CouncilSession.objects.get(pk=session.pk).state == CouncilSession.State.OPEN


def test_a_session_with_an_empty_agenda_cannot_be_closed_over_the_api(demo: None) -> None:
    from tests.council.test_council_api import client_for

    session = session_with([])
    refused = client_for("secretary").post(f"/api/council-sessions/{session.pk}/close/")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "rule_not_met" and "chưa có nội dung biểu quyết" in body["detail"]
    assert [r["rule"] for r in body["rules"]] == ["agenda_not_empty"]
    assert CouncilSession.objects.get(pk=session.pk).state == CouncilSession.State.OPEN
