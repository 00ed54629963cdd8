"""The flow's own node: a human step on one nomination, offered per object.

viewflow's `View` node offers a task to whoever holds a *global* permission, or the object permission
through `user.has_perm` — which lets a superuser or a global grant through. Here the task is offered only
to the people holding the step's permission on this very nomination (`nominations.access.holds`, the
check every service makes), so the queue, the assignment and the pages agree with the services.
"""

from __future__ import annotations

from typing import Any

from viewflow.workflow import nodes

from nominations.access import holds


def _nomination_of(process: Any) -> Any:
    return process.nomination


class NominationTask(nodes.View):
    """A step of the nomination's process that a person finishes by running one of `actions`.

    `perm` is the per-object permission (a codename of `nominations.access.Perm`) that the step's
    transitions need; `actions` are the transitions that end the step (for the pages and the docs).
    The task is never "executed" through a viewflow view: the pages and the API run the transition
    service, and `workflow.process.process_sync` then finishes this task and lets the gateway open the
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
