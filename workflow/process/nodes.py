"""The flow's own nodes: a human step on one nomination offered per object, and the council's ballots.

viewflow's `View` node offers a task to whoever holds a *global* permission, or the object permission
through `user.has_perm` — which lets a superuser or a global grant through. Here the task is offered only
to the people holding the step's permission on this very nomination (`nominations.access.holds`, the
check every service makes), so the queue, the assignment and the pages agree with the services.

viewflow's open-source edition has no multi-instance task (one instance per person of a list): the
council's vote needs one, so `CouncilVote` opens one `MemberBallot` task per session member (issue 5).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone
from viewflow import this
from viewflow.workflow import STATUS, nodes
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.nodes.view import ViewActivation

from nominations.access import holds
from nominations.models import CouncilSession


def _nomination_of(process: Any) -> Any:
    return process.nomination


class NominationTask(nodes.View):
    """A step of the nomination's process that a person finishes by running one of `actions`.

    `perm` is the per-object permission (a codename of `nominations.access.Perm`) that the step's
    transitions need; `actions` are the transitions that end the step (for the pages and the docs).
    The task is never "executed" through a viewflow view: the pages and the API run the transition
    service, and `workflow.process.sync.process_sync` then finishes this task and lets the gateway open the
    next one — so the task list can never disagree with `Nomination.state`.
    """

    def __init__(self, perm: str, *, actions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(view=None, **kwargs)
        self.perm = perm
        self.actions = actions
        self.Permission(f"nominations.{perm}", obj=_nomination_of)

    def _nomination(self, task: Any) -> Any:
        return task.process.coerced.nomination

    def can_assign(self, user: Any, task: Any) -> bool:
        return task.owner_id is None and holds(user, self.perm, self._nomination(task))

    def can_execute(self, user: Any, task: Any) -> bool:
        return holds(user, self.perm, self._nomination(task))

    def can_unassign(self, user: Any, task: Any) -> bool:
        if task.owner_id is None or user is None or not user.is_authenticated:
            return False
        return task.owner_id == user.pk or holds(user, self.perm, self._nomination(task))


# --- the council's vote: one ballot task per member ---------------------------------------------------
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


class MemberBallotActivation(ViewActivation):
    """A member's ballot task: created assigned to them (by `CouncilVote`), finished when they vote.

    It carries nothing but its owner: the choice never reaches viewflow (docs/voting.md). Finishing it
    routes nowhere — the branch ends with the ballot; the `vote` step moves the process on.
    """

    @classmethod
    def open_for(cls, flow_task: MemberBallot, vote_task: Any, session_id: int | None) -> list[int]:
        """One task per member, in one INSERT (and one for their links to the vote task)."""
        tasks = cls.insert_for(flow_task, vote_task, session_id)
        links = flow_task.flow_class.task_class.previous.through
        links._default_manager.bulk_create(cls.links_for(vote_task, tasks))
        return tasks

    @classmethod
    def insert_for(cls, flow_task: MemberBallot, vote_task: Any, session_id: int | None) -> list[int]:
        """The tasks of the members of the session, in one `INSERT … SELECT` that reads the members
        itself (in person order); their ids, not yet linked to the vote task (`links_for`): the hand-off
        (`workflow.process.sync`) links them in the insert that links the vote task itself.

        The rows are those `bulk_create` wrote from the members read first (one statement less): assigned
        to their member, each a parallel branch of the vote task with its own split token, numbered as
        `Token.split_token_source` numbers them (`<vote token>/<vote task id>_<n>`)."""
        if session_id is None:
            return []
        task_class = flow_task.flow_class.task_class
        members = CouncilSession.members.through
        member = members._meta.get_field("person").column
        session = members._meta.get_field("councilsession").column
        field = task_class._meta.get_field
        now = timezone.now()
        prefix = f"{vote_task.token}/{vote_task.pk}_"
        values = [
            field("flow_task").get_db_prep_value(flow_task, connection),
            flow_task.task_type,  # set by Task.save, which this insert skips
            STATUS.ASSIGNED,
            field("created").get_db_prep_value(now, connection),
            field("assigned").get_db_prep_value(now, connection),
            prefix,
            vote_task.process_id,
            field("data").get_db_prep_value({}, connection),
            session_id,
        ]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(task_class._meta.db_table)} (flow_task, flow_task_type, status, created, "
                "assigned, token, owner_id, process_id, data) "
                f"SELECT %s, %s, %s, %s, %s, %s || CAST(ROW_NUMBER() OVER (ORDER BY m.{qn(member)}) AS TEXT), "
                f"m.{qn(member)}, %s, %s FROM {qn(members._meta.db_table)} m WHERE m.{qn(session)} = %s "
                f"ORDER BY m.{qn(member)} RETURNING id",
                values,
            )
            return sorted(row[0] for row in cursor.fetchall())  # ids in insertion (member) order

    @staticmethod
    def links_for(vote_task: Any, tasks: list[int]) -> list[Any]:
        links = vote_task.__class__.previous.through
        return [links(from_task_id=task, to_task_id=vote_task.pk) for task in tasks]


class MemberBallot(nodes.View):
    """One council member's secret ballot on one agenda item: a task of that member alone.

    Nobody takes it from a queue or hands it back: it is assigned to its member when the vote opens,
    finished by `workflow.process.sync.ballot_task_finish` when their participation is recorded (online or
    written), and cancelled with the rest when the vote closes.
    """

    activation_class = MemberBallotActivation

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(view=None, **kwargs)
        self._multi_instance = True  # drawn with viewflow's parallel multi-instance marker

    def can_assign(self, user: Any, task: Any) -> bool:
        return False

    def can_unassign(self, user: Any, task: Any) -> bool:
        return False

    def can_execute(self, user: Any, task: Any) -> bool:
        return user is not None and user.is_authenticated and task.owner_id == user.pk


class CouncilVoteActivation(ViewActivation):
    """The `vote` step: opening it opens the members' ballots; finishing it cancels those left open."""

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> Any:
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        ballot: MemberBallot = flow_task.ballot
        ballot.activation_class.open_for(ballot, activation.task, flow_task.session_of(activation.process))
        return activation

    @Activation.status.super()
    def complete(self) -> None:
        # The vote closed (close_vote moved the state on): the ballots of members who did not vote end
        # here, in one UPDATE — what each task's own `cancel` would do (status and finish time).
        self.task.leading.filter(flow_task=self.flow_task.ballot, status__in=OPEN).update(
            status=STATUS.CANCELED, finished=timezone.now()
        )
        super().complete.original()


class CouncilVote(NominationTask):
    """The council votes on the nomination: the secretary's step (close the vote), and one ballot task
    per member of the nomination's session, opened together when the step opens (a multi-instance task).
    """

    activation_class = CouncilVoteActivation

    def __init__(self, perm: str, *, actions: tuple[str, ...], ballot: Any, **kwargs: Any) -> None:
        super().__init__(perm, actions=actions, **kwargs)
        self.ballot = ballot

    def _resolve(self, instance: Any) -> None:
        super()._resolve(instance)
        self.ballot = this.resolve(instance, self.ballot)

    def _outgoing(self) -> Any:
        yield from super()._outgoing()
        yield Edge(src=self, dst=self.ballot, edge_class="next")

    def session_of(self, process: Any) -> int | None:
        """The session the nomination is on: its members each get a ballot task (`insert_for`)."""
        session_id: int | None = process.nomination.council_session_id
        return session_id
