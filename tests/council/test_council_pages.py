"""The council pages (Vietnamese), driven through Django's test client: real views, forms and services."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from nominations.models import BallotParticipation, CouncilSession, Nomination, State
from tests.builders import core as builders
from tests.builders.council import NINE, close, evaluated, session_with, spread, vote

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    client.force_login(builders.person(username))
    return client


def test_a_member_sees_the_sessions_they_sit_on_and_votes_on_the_session_page(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    member = login("council1")
    listing = member.get("/hoi-dong/")
    assert listing.status_code == 200 and session.name in listing.text
    page = member.get(f"/hoi-dong/{session.pk}/")
    assert page.status_code == 200
    assert "Bỏ phiếu" in page.text  # the session page leads to the member's ballot cards
    assert "Tán thành" in member.get(f"/hoi-dong/{session.pk}/phieu-cua-toi/").text
    voted = member.post(
        f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": item.pk, "choice": "no"}, follow=True
    )
    assert voted.status_code == 200
    receipt = re.search(r"Mã biên nhận: ([A-Z0-9-]+)", voted.text)
    assert receipt is not None
    assert BallotParticipation.objects.filter(member__username="council1", nomination=item).exists()
    assert voted.redirect_chain[-1][0] == f"/hoi-dong/{session.pk}/bien-nhan/"  # the receipts page
    assert "Đã bỏ phiếu" in member.get(f"/hoi-dong/{session.pk}/").text
    checked = member.get(f"/hoi-dong/{session.pk}/", {"receipt": receipt.group(1)})
    assert "đã vào hòm phiếu" in checked.text
    wrong = member.get(f"/hoi-dong/{session.pk}/", {"receipt": "ZZZZ-ZZZZ"})
    assert "Không có phiếu nào với mã biên nhận này" in wrong.text


def test_a_second_ballot_on_the_page_is_refused_with_a_clear_message(demo: None) -> None:
    item = evaluated()
    session = session_with([item])
    member = login("council1")
    member.post(f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": item.pk, "choice": "yes"})
    again = member.post(
        f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": item.pk, "choice": "no"}, follow=True
    )
    assert "phiếu đã bỏ không thay đổi được" in again.text
    assert BallotParticipation.objects.filter(member__username="council1").count() == 1


def test_state_changes_accept_post_only(demo: None) -> None:
    session = session_with([evaluated()], open_=False)
    secretary = login("secretary")
    for path in (
        "khai-mac",
        "ket-thuc",
        "bo-phieu",
        "phieu-van-ban",
        "diem-danh",
        "noi-dung",
        "chu-tich-quyet-dinh",
    ):
        assert secretary.get(f"/hoi-dong/{session.pk}/{path}/").status_code == 405, path
    assert CouncilSession.objects.get(pk=session.pk).state == "planned"


def test_someone_outside_the_session_gets_404_and_cannot_vote(demo: None) -> None:
    item = evaluated()
    session = session_with([item], members=NINE[:-1])
    outsider = login("council7")
    assert outsider.get(f"/hoi-dong/{session.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": item.pk, "choice": "yes"}
        ).status_code
        == 404
    )
    office = login("office1")  # sees the session, is not a member
    refused = office.post(
        f"/hoi-dong/{session.pk}/bo-phieu/", {"nomination": item.pk, "choice": "yes"}, follow=True
    )
    assert "không phải thành viên" in refused.text
    assert not BallotParticipation.objects.exists()


def test_the_secretary_runs_a_session_from_the_pages(demo: None) -> None:
    item = evaluated()
    secretary = login("secretary")
    form = secretary.get("/hoi-dong/lap-phien-hop/")
    assert form.status_code == 200 and "Chủ tịch Hội đồng chủ trì" in form.text
    members = [builders.person(u).pk for u in NINE]
    created = secretary.post(
        "/hoi-dong/lap-phien-hop/",
        {
            "name": "Phiên họp tháng 12",
            "date": "2023-12-20",
            "members": members,
            "chair": builders.person("director").pk,
        },
    )
    session = CouncilSession.objects.get(name="Phiên họp tháng 12")
    assert created.status_code == 302 and created["Location"].endswith(f"/hoi-dong/{session.pk}/")
    page = secretary.get(f"/hoi-dong/{session.pk}/")
    assert str(item.nominee) in page.text  # offered for the agenda
    secretary.post(f"/hoi-dong/{session.pk}/noi-dung/", {"nomination": item.pk})
    assert Nomination.objects.get(pk=item.pk).state == State.IN_VOTE
    secretary.post(f"/hoi-dong/{session.pk}/khai-mac/")
    secretary.post(
        f"/hoi-dong/{session.pk}/diem-danh/", {"member": builders.person("council7").pk, "mode": "written"}
    )
    written = secretary.post(
        f"/hoi-dong/{session.pk}/phieu-van-ban/",
        {"member": builders.person("council7").pk, "nomination": item.pk, "choice": "yes"},
        follow=True,
    )
    assert "Đã nhập phiếu bằng văn bản" in written.text
    refused = secretary.post(f"/hoi-dong/{session.pk}/ket-thuc/", follow=True)
    assert "Chưa đủ số thành viên" in refused.text
    vote(session, item, spread(yes=5, no=1))
    closed = secretary.post(f"/hoi-dong/{session.pk}/ket-thuc/", follow=True)
    assert "Đã kết thúc biểu quyết" in closed.text
    assert "Kết quả biểu quyết" in closed.text and "Gửi phiếu bằng văn bản" in closed.text
    assert Nomination.objects.get(pk=item.pk).state == State.PROPOSED
    docx = secretary.get(f"/hoi-dong/{session.pk}/bien-ban.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")


def test_the_create_form_shows_errors_in_vietnamese_and_only_staff_may_use_it(demo: None) -> None:
    secretary = login("secretary")
    response = secretary.post("/hoi-dong/lap-phien-hop/", {"name": "", "date": "x"})
    assert response.status_code == 200 and "errorlist" in response.text
    member = login("council1")
    assert member.get("/hoi-dong/lap-phien-hop/", follow=True).redirect_chain[-1][0].endswith("/hoi-dong/")


def test_the_session_page_takes_a_fixed_number_of_queries_whatever_the_agenda(
    demo: None, django_assert_num_queries: object
) -> None:
    items = [evaluated(nominee=f"staff-tkth-{i}") for i in (1, 2, 3)]
    session = session_with(items)
    for item in items:
        vote(session, item, spread(yes=9))
    close(session)
    client = login("council1")
    # session, user, roles, the session, members, agenda, my participation, counts, results, minutes (members,
    # roles, attendance, participation, results, one rule per award, tie-breaks)
    with django_assert_num_queries(16):  # type: ignore[operator]
        assert client.get(f"/hoi-dong/{session.pk}/").status_code == 200
