"""The council's vote in the viewflow process: one ballot task per member and agenda item (issue 5).

Scheduling opens them (assigned to each member), a member's ballot finishes theirs, closing the session
cancels those left open and the process moves on by the state the count gave.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from nominations.models import CouncilSession, Nomination, State
from nominations.selectors.council import ballots_pending_for
from tests.builders import core as builders
from tests.builders.council import NINE, close, evaluated, session_with, spread, vote
from workflow.base.errors import Conflict, NotPermitted, WrongState
from workflow.models import NominationProcess
from workflow.process import sync as process_api
from workflow.process.flows import step_for_state
from workflow.services import council_ballots, council_sessions
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db

OUTSIDERS = ["office1", "head-tkth", "auditor", "deputy", "admin", "staff-tkth-2"]


def ballots(nomination: Nomination) -> dict[str, str]:
    """Each member's ballot task on `nomination`: username → status."""
    process = NominationProcess.objects.get(nomination=nomination)
    return {
        task.owner.username: task.status
        for task in process_api.ballot_tasks(process).select_related("owner").order_by("pk")
    }


def my_ballot_items(username: str) -> list[int]:
    """The agenda items whose ballot task is in `username`'s inbox."""
    user = builders.person(username)
    tasks = process_api.tasks_inbox(user).filter(flow_task=process_api.ballot_node())
    assert all(task.owner_id == user.pk for task in tasks)
    return sorted(tasks.values_list("process__nominationprocess__nomination", flat=True))


def assert_process_follows(nomination: Nomination) -> None:
    nomination.refresh_from_db()
    process = NominationProcess.objects.get(nomination=nomination)
    assert process_api.process_position(process) == process_api.expected_position(nomination), (
        nomination.state
    )
    assert process_api.open_tasks(process).count() == (
        0 if step_for_state(nomination.state) == "closed" else 1
    )


def test_each_member_sees_their_own_ballot_task_for_each_agenda_item_and_nobody_elses(demo: None) -> None:
    a, b = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([a, b], open_=False)
    for item in (a, b):
        assert ballots(item) == dict.fromkeys(NINE, STATUS.ASSIGNED)
        assert_process_follows(item)
    for member in NINE:
        assert my_ballot_items(member) == sorted([a.pk, b.pk]), member
        # Nobody may take, hand back or pass on a ballot task.
        task = process_api.tasks_inbox(builders.person(member)).filter(flow_task=process_api.ballot_node())[0]
        with pytest.raises(NotPermitted):
            process_api.task_unassign(task=task, user=builders.person(member))
    for outsider in OUTSIDERS:
        assert my_ballot_items(outsider) == []
        assert not process_api.tasks_offered_to(builders.person(outsider)).filter(
            flow_task=process_api.ballot_node()
        )
    # Opening the session changes nothing in the process: the tasks were there from the scheduling.
    council_sessions.council_session_open(session=session, actor=builders.person("secretary"))
    assert ballots(a) == dict.fromkeys(NINE, STATUS.ASSIGNED)


def test_a_member_whose_session_leaves_someone_out_gets_no_task_on_it(demo: None) -> None:
    item = evaluated()
    session_with([item], members=NINE[:7])
    assert sorted(ballots(item)) == sorted(NINE[:7])
    assert my_ballot_items("council7") == []


def test_the_ballots_open_in_one_go_when_the_nomination_is_scheduled(demo: None) -> None:
    item = evaluated()
    session = session_with([], open_=False)
    links_before = Task.previous.through.objects.count()
    with CaptureQueriesContext(connection) as queries:
        council_sessions.council_agenda_add(
            session=session, nomination=item, actor=builders.person("secretary")
        )
    inserts = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "viewflow_task"')
    ]
    # The gateway after `schedule` and the secretary's `vote` step in one statement (the hand-off,
    # workflow.process.sync._hand_off), then the nine ballots in one INSERT … SELECT of the members.
    assert len(inserts) == 2
    assert "NominationFlow.ballot" not in inserts[0]
    assert "NominationFlow.ballot" in inserts[1] and "councilsession_members" in inserts[1]
    assert (
        inserts[0].count("NominationFlow.after_schedule") == 1
        and inserts[0].count("NominationFlow.vote") == 1
    )
    links = [q["sql"] for q in queries.captured_queries if 'INTO "viewflow_task_previous"' in q["sql"]]
    # Each task linked to the one before it — the gateway's, the vote's and the nine ballots' — in one
    # statement: the hand-off's own insert of links (was two).
    # (PostgreSQL's bulk insert is one UNNEST, SQLite's a VALUES list: the rows are counted, not the SQL.)
    assert len(links) == 1 and Task.previous.through.objects.count() - links_before == 2 + 9
    assert len(ballots(item)) == 9
    # Each ballot a parallel branch of the vote task, with the split token viewflow numbers (per member,
    # in person order), assigned to its member.
    opened = list(
        process_api.ballot_tasks(NominationProcess.objects.get(nomination=item)).order_by("owner_id")
    )
    vote = opened[0].previous.get()
    assert [t.token for t in opened] == [f"{vote.token}/{vote.pk}_{n}" for n in range(1, 10)]
    assert {t.status for t in opened} == {"ASSIGNED"} and all(t.assigned == t.created for t in opened)


def test_casting_a_ballot_finishes_exactly_that_members_task(demo: None) -> None:
    a, b = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([a, b])
    vote(session, a, {"council1": "no"})
    assert ballots(a) == {**dict.fromkeys(NINE, STATUS.ASSIGNED), "council1": STATUS.DONE}
    assert ballots(b) == dict.fromkeys(NINE, STATUS.ASSIGNED)
    assert my_ballot_items("council1") == [b.pk]
    assert my_ballot_items("council2") == sorted([a.pk, b.pk])
    for member in NINE:  # the inbox and the council's own selector agree
        assert my_ballot_items(member) == sorted(
            n.pk for n in ballots_pending_for(user=builders.person(member))
        )
    assert_process_follows(a)
    done = Task.objects.get(
        process__nominationprocess__nomination=a, flow_task=process_api.ballot_node(), status=STATUS.DONE
    )
    assert done.owner == builders.person("council1")
    assert done.data == {} and done.finished is not None

    # A written ballot entered by the secretary finishes the member's task, still under the member's name.
    council_ballots.ballot_enter_written(
        session=session, nomination=a, member=builders.person("council2"), choice="yes",
        actor=builders.person("secretary"),
    )  # fmt: skip
    assert ballots(a)["council2"] == STATUS.DONE
    assert my_ballot_items("council2") == [b.pk]
    assert my_ballot_items("secretary") == sorted([a.pk, b.pk])  # the secretary's own ballots are untouched
    assert_process_follows(a)


def test_a_refused_ballot_leaves_the_members_task_as_it_was(demo: None) -> None:
    item = evaluated()
    session = session_with([item], open_=False)
    with pytest.raises(WrongState):  # not open yet
        vote(session, item, {"council3": "yes"})
    assert ballots(item)["council3"] == STATUS.ASSIGNED
    session = council_sessions.council_session_open(session=session, actor=builders.person("secretary"))
    vote(session, item, {"council3": "yes"})
    with pytest.raises(Conflict):  # a second ballot
        vote(session, item, {"council3": "no"})
    assert ballots(item) == {**dict.fromkeys(NINE, STATUS.ASSIGNED), "council3": STATUS.DONE}


@pytest.mark.parametrize(("yes", "state"), [(7, State.PROPOSED), (3, State.COUNCIL_FAILED)])
def test_closing_the_session_cancels_the_ballots_left_open_and_the_process_follows_the_state(
    demo: None, yes: int, state: str
) -> None:
    item = evaluated()
    session = session_with([item])
    assert_process_follows(item)
    choices = spread(yes=yes, no=7 - yes)  # seven of nine vote: the quorum (2/3) is met
    for username, choice in choices.items():
        vote(session, item, {username: choice})
        assert_process_follows(item)
    assert close(session).state == CouncilSession.State.CLOSED
    item.refresh_from_db()
    assert item.state == state
    assert ballots(item) == {member: STATUS.DONE if member in choices else STATUS.CANCELED for member in NINE}
    assert_process_follows(item)
    for member in NINE:
        assert my_ballot_items(member) == []
    vote_task = Task.objects.get(process__nominationprocess__nomination=item, flow_task__endswith=".vote")
    assert vote_task.status == STATUS.DONE and vote_task.data["transition"] == "close_vote"


def test_voting_again_after_a_hold_opens_fresh_ballots_and_closes_only_those(demo: None) -> None:
    item = evaluated()
    first = session_with([item])
    vote(first, item, spread(yes=7))
    close(first)
    item.refresh_from_db()
    assert item.state == State.PROPOSED
    # Held on a complaint, released and evaluated again, the nomination goes before another session.
    office = builders.person("office1")
    item = t.nomination_hold(nomination=item, actor=office, comment="Có đơn khiếu nại")
    item = t.nomination_release(nomination=item, actor=office)
    item = t.nomination_evaluate(nomination=item, actor=office, score=90, assessment="Đạt")
    second = session_with([item])
    process = NominationProcess.objects.get(nomination=item)
    assert process_api.ballot_tasks(process).filter(status=STATUS.ASSIGNED).count() == 9
    assert process_api.ballot_tasks(process).filter(status=STATUS.DONE).count() == 7
    vote(second, item, {"council1": "yes"})
    assert process_api.ballot_tasks(process).filter(status=STATUS.DONE).count() == 8
    assert_process_follows(item)


def test_the_inbox_page_lists_a_members_ballots_linking_to_the_session(demo: None, client: Client) -> None:
    a, b = evaluated(nominee="staff-tkth-2"), evaluated(nominee="staff-tkth-3")
    session = session_with([a, b])
    vote(session, a, {"council4": "yes"})
    client.force_login(builders.person("council4"))
    page = client.get("/viec/")
    assert page.status_code == 200
    rows = [row for row in page.context["inbox"] if row.get("session")]
    assert [row["n"].pk for row in rows] == [b.pk]
    assert {row["task"].owner.username for row in rows} == {"council4"}
    html = page.content.decode()
    assert f'href="/hoi-dong/{session.pk}/#item-{b.pk}"' in html
    assert f"#item-{a.pk}" not in html  # already voted on A
    session_page = client.get(f"/hoi-dong/{session.pk}/")
    assert f'id="item-{b.pk}"' in session_page.content.decode()

    # Another member's ballot task is not theirs to touch: it is not even found.
    other = process_api.ballot_tasks(NominationProcess.objects.get(nomination=b)).get(
        owner=builders.person("council5")
    )
    assert client.post(f"/viec/{other.pk}/tra-lai/").status_code == 404
    # Their own cannot be handed back either (a message, not an error page).
    mine = process_api.ballot_tasks(NominationProcess.objects.get(nomination=b)).get(
        owner=builders.person("council4")
    )
    assert client.post(f"/viec/{mine.pk}/tra-lai/").status_code == 302
    assert Task.objects.get(pk=mine.pk).status == STATUS.ASSIGNED

    client.force_login(builders.person("office1"))
    assert [row for row in client.get("/viec/").context["inbox"] if row.get("session")] == []
