"""Voting as a council member, as one flow: cards → review → cast → every receipt on one page; and the
secretary's one-form attendance and many-items agenda. Real views, forms and services (test client)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nominations.models import Attendance, BallotParticipation, CouncilSession, Nomination, State
from tests.builders import core as builders
from tests.builders.council import evaluated, session_with

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    client.force_login(builders.person(username))
    return client


def seven() -> list[Nomination]:
    return [
        evaluated(nominee=f"staff-{unit}-{n}")
        for unit, n in [
            ("tkth", 1),
            ("tkth", 2),
            ("tkth", 3),
            ("tkkt", 1),
            ("tkkt", 2),
            ("tkxh", 1),
            ("tkxh", 3),
        ]
    ]


def test_a_member_chooses_on_cards_reviews_then_casts_and_finds_every_receipt_on_one_page(demo: None) -> None:
    items = seven()
    session = session_with(items)
    member = login("council2")
    page = member.get(f"/hoi-dong/{session.pk}/phieu-cua-toi/")
    assert page.status_code == 200
    assert page.text.count('class="card vote-card') == 7
    assert "0 trên 7 đã bỏ phiếu" in page.text
    chosen = {
        f"choice-{items[0].pk}": "yes",
        f"choice-{items[1].pk}": "no",
        f"choice-{items[2].pk}": "abstain",
    }
    review = member.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", chosen)
    assert review.status_code == 200
    assert (
        f"Bạn chọn <strong>Tán thành</strong> cho nội dung <strong>{items[0].nominee}</strong>" in review.text
    )
    assert (
        f"Bạn chọn <strong>Không tán thành</strong> cho nội dung <strong>{items[1].nominee}</strong>"
        in review.text
    )
    assert not BallotParticipation.objects.filter(member__username="council2").exists()  # nothing cast yet
    cast = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", chosen, follow=True)
    assert cast.redirect_chain[-1][0] == f"/hoi-dong/{session.pk}/bien-nhan/"
    assert BallotParticipation.objects.filter(member__username="council2").count() == 3
    receipts = re.findall(r'<code class="receipt">([A-Z0-9-]+)</code>', cast.text)
    assert len(receipts) == 3 and len(set(receipts)) == 3
    assert cast.text.count("Đã vào hòm phiếu") == 3
    assert "3 trên 7 đã bỏ phiếu" in cast.text
    # Each receipt checks out on the session page as before, and the .txt holds them all.
    checked = member.get(f"/hoi-dong/{session.pk}/", {"receipt": receipts[0]})
    assert "đã vào hòm phiếu" in checked.text
    saved = member.get(f"/hoi-dong/{session.pk}/bien-nhan/", {"format": "txt"})
    assert saved["Content-Disposition"].startswith("attachment") and all(r in saved.text for r in receipts)
    # Voting again later adds to the same page; the cards show what is done.
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[3].pk}": "yes"})
    again = member.get(f"/hoi-dong/{session.pk}/bien-nhan/")
    assert len(re.findall(r'<code class="receipt">', again.text)) == 4
    cards = member.get(f"/hoi-dong/{session.pk}/phieu-cua-toi/")
    assert "4 trên 7 đã bỏ phiếu" in cards.text and cards.text.count('name="choice-') == 3 * 3


def test_the_receipts_page_never_shows_a_choice_and_another_member_sees_none_of_mine(demo: None) -> None:
    items = seven()[:2]
    session = session_with(items)
    mine = login("council2")
    mine.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[0].pk}": "no"})
    page = mine.get(f"/hoi-dong/{session.pk}/bien-nhan/").text
    assert "Không tán thành" not in page and "Tán thành" not in page.replace("Không tán thành", "")
    other = login("council3").get(f"/hoi-dong/{session.pk}/bien-nhan/")
    assert other.status_code == 200 and '<code class="receipt">' not in other.text
    # The receipts live in the member's browser only: nothing of them is in the database but hashes.
    from django.contrib.sessions.models import Session

    receipt = re.search(r'<code class="receipt">([A-Z0-9-]+)</code>', page)
    assert receipt is not None
    assert not any(receipt.group(1) in s.session_data for s in Session.objects.all())


def test_the_review_step_writes_nothing_and_a_second_ballot_is_refused_clearly(demo: None) -> None:
    items = seven()[:1]
    session = session_with(items)
    member = login("council2")
    empty = member.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {}, follow=True)
    assert "Chọn một phương án cho ít nhất một nội dung" in empty.text
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[0].pk}": "yes"})
    again = member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[0].pk}": "no"}, follow=True)
    assert "phiếu đã bỏ không thay đổi được" in again.text
    assert BallotParticipation.objects.filter(member__username="council2").count() == 1


def test_a_member_is_warned_when_an_item_concerns_themself(demo: None) -> None:
    own = evaluated(nominee="council3")
    session = session_with([own, *seven()[:1]])
    page = login("council3").get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").text
    assert page.count("Nội dung này đề nghị khen thưởng chính bạn.") == 1
    assert (
        "Nội dung này đề nghị khen thưởng chính bạn."
        not in login("council2").get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").text
    )


def test_non_members_reach_no_ballot_page(demo: None) -> None:
    session = session_with(seven()[:1], members=["director", "secretary", "council1"])
    outsider = login("council7")
    for path in ("phieu-cua-toi/", "bien-nhan/"):
        assert outsider.get(f"/hoi-dong/{session.pk}/{path}").status_code == 404
    assert outsider.post(f"/hoi-dong/{session.pk}/phieu-cua-toi/xem-lai/", {}).status_code == 404
    # The secretary oversees the session but does not sit on it here: still no ballot page of theirs.
    assert login("office1").get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").status_code == 404


def test_the_voting_pages_take_a_fixed_number_of_queries_whatever_the_agenda(
    demo: None, django_assert_num_queries: Any
) -> None:
    items = seven()
    session = session_with(items[:2])
    member = login("council2")
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[0].pk}": "yes"})
    # the cards: session (auth), user, roles (menu), the session, my participation, the agenda; the
    # receipts: + the items held and the ballot box's receipts (one query each); the session page as
    # pinned in tests/council/test_council_pages.py, less the list of nominations waiting for a session,
    # which only those who may put them on the agenda read
    pages = {"phieu-cua-toi/": 6, "bien-nhan/": 8, "": 15}
    for path, expected in pages.items():
        with django_assert_num_queries(expected):
            assert member.get(f"/hoi-dong/{session.pk}/{path}").status_code == 200
    # my sessions: session, user, roles, the sessions with their counts, my participation in the open ones
    with django_assert_num_queries(5):
        assert member.get("/hoi-dong-cua-toi/").status_code == 200
    secretary = builders.person("secretary")
    from workflow.services import council_sessions

    for nomination in items[2:]:
        council_sessions.council_agenda_add(session=session, nomination=nomination, actor=secretary)
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {f"choice-{items[3].pk}": "no"})
    for path, expected in pages.items():
        with django_assert_num_queries(expected):
            assert member.get(f"/hoi-dong/{session.pk}/{path}").status_code == 200
    with django_assert_num_queries(5):
        assert member.get("/hoi-dong-cua-toi/").status_code == 200


def test_the_secretary_records_everyones_attendance_in_one_form(demo: None) -> None:
    session = session_with(seven()[:1])
    secretary = login("secretary")
    page = secretary.get(f"/hoi-dong/{session.pk}/")
    assert page.text.count('name="mode-') == 9
    members = list(session.members.order_by("username"))
    data = {f"mode-{m.pk}": "present" for m in members[:7]}
    data[f"mode-{members[7].pk}"] = "remote"
    data[f"mode-{members[8].pk}"] = "absent"
    done = secretary.post(f"/hoi-dong/{session.pk}/diem-danh/", data, follow=True)
    assert "Đã ghi nhận điểm danh 9 thành viên." in done.text
    modes = dict(Attendance.objects.filter(session=session).values_list("member_id", "mode"))
    assert modes[members[7].pk] == "remote" and list(modes.values()).count("present") == 7
    # One bad value: nothing of the form is written.
    bad = secretary.post(
        f"/hoi-dong/{session.pk}/diem-danh/",
        {f"mode-{members[0].pk}": "absent", f"mode-{members[1].pk}": "x"},
    )
    assert bad.status_code == 302
    assert Attendance.objects.get(session=session, member=members[0]).mode == "present"
    assert login("council1").post(f"/hoi-dong/{session.pk}/diem-danh/", data).status_code == 302
    assert Attendance.objects.filter(session=session, recorded_by__username="council1").count() == 0


def test_the_secretary_puts_many_items_on_the_agenda_at_once_all_or_none(demo: None) -> None:
    session = session_with([], open_=False)
    first, second, third = seven()[:3]
    secretary = login("secretary")
    page = secretary.get(f"/hoi-dong/{session.pk}/")
    assert f'name="nominations" value="{first.pk}"' in page.text
    from workflow.services import transitions as t

    t.nomination_hold(nomination=third, actor=builders.person("office1"), comment="Có khiếu nại")
    refused = secretary.post(
        f"/hoi-dong/{session.pk}/noi-dung/", {"nominations": [first.pk, third.pk]}, follow=True
    )
    assert "Không hồ sơ nào được đưa vào phiên họp." in refused.text
    assert Nomination.objects.get(pk=first.pk).state == State.EVALUATED
    done = secretary.post(
        f"/hoi-dong/{session.pk}/noi-dung/", {"nominations": [first.pk, second.pk]}, follow=True
    )
    assert "Đã đưa 2 hồ sơ vào nội dung phiên họp." in done.text
    assert set(Nomination.objects.filter(council_session=session).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert CouncilSession.objects.get(pk=session.pk).state == "planned"


def test_closing_the_vote_and_issuing_ask_first(demo: None) -> None:
    session = session_with(seven()[:1])
    page = login("secretary").get(f"/hoi-dong/{session.pk}/").text
    assert 'id="close-form"' in page and "data-confirm=" in page.split('id="close-form"')[1][:300]
