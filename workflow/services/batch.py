"""Several nominations decided at once by the Director: all of them move, or none does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from nominations.models import Nomination
from workflow.base.errors import InvalidInput, TransitionRefused
from workflow.services import transitions as t
from workflow.services.decisions import decision_issue

BATCH_ACTIONS = ("approve", "decline", "forward")


class BatchRefused(TransitionRefused):
    """One nomination of the batch was refused; nothing of the batch was written."""

    def __init__(self, nomination: Nomination, cause: TransitionRefused) -> None:
        super().__init__(
            _("Hồ sơ “%(nomination)s”: %(reason)s Không hồ sơ nào trong đợt được thay đổi.")
            % {"nomination": nomination, "reason": cause.message}
        )
        self.status = cause.status
        self.nomination = nomination
        self.cause = cause


def nominations_decide(
    *,
    nominations: Sequence[Nomination],
    actor: Any,
    action: str,
    comment: str = "",
    decision_number: str = "",
    decision_date: Any = None,
    submission_number: str = "",
) -> list[Nomination]:
    """Run one decision on every nomination in one transaction; the first refusal undoes them all.

    Approving issues one decision (`decision_issue`) holding them all with their amounts: together, a
    title approved in it satisfies a same-year prerequisite of another in it (e.g. LĐTT and CSTĐCS of
    the same person, L22 Art. 23).
    """
    if action not in BATCH_ACTIONS:
        raise InvalidInput(_("Quyết định không hợp lệ."), field="action")
    if not nominations:
        raise InvalidInput(_("Chọn ít nhất một hồ sơ."), field="ids")
    if action == "approve":
        # The one path to an approval: a decision with its amounts, signed by the Director deciding.
        try:
            decision = decision_issue(
                nominations=nominations,
                actor=actor,
                number=decision_number,
                date=decision_date,
                signer=actor,
                comment=comment,
            )
        except TransitionRefused as refusal:
            refused = getattr(refusal, "nomination", None)
            if refused is None:
                raise
            raise BatchRefused(refused, refusal) from refusal
        return [item.nomination for item in decision.items.select_related("nomination")]
    done: list[Nomination] = []
    with transaction.atomic():
        for nomination in sorted(nominations, key=lambda n: n.pk):  # one lock order: no deadlock
            try:
                if action == "decline":
                    result = t.nomination_decline(nomination=nomination, actor=actor, comment=comment)
                else:
                    result = t.nomination_forward(
                        nomination=nomination,
                        actor=actor,
                        submission_number=submission_number,
                        comment=comment,
                    )
            except TransitionRefused as refusal:
                raise BatchRefused(nomination, refusal) from refusal
            done.append(result)
    return done
