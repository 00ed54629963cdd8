"""Domain errors: every refusal says why, in words the user can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class TransitionRefused(Exception):
    """Base of every refusal. `status` is the HTTP status an entry point answers with."""

    status = 409
    code = "refused"
    nomination: Any = None  # set by a batch's service: the item of the batch that was refused

    def __init__(self, message: str, *, refusals: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.refusals = list(refusals)

    def __str__(self) -> str:
        return self.message


class WrongState(TransitionRefused):
    status = 409
    code = "wrong_state"


class NotPermitted(TransitionRefused):
    status = 403
    code = "not_permitted"


class RuleNotMet(TransitionRefused):
    status = 409
    code = "rule_not_met"


class InvalidInput(TransitionRefused):
    status = 400
    code = "invalid_input"

    def __init__(self, message: str, *, field: str = "comment") -> None:
        super().__init__(message)
        self.field = field


class Conflict(TransitionRefused):
    """Lost a race with a concurrent change."""

    status = 409
    code = "conflict"


class Duplicate(Conflict):
    """A second standing nomination for the same nominee, award and campaign; `existing` is the first."""

    code = "duplicate"

    def __init__(self, message: str, *, existing: int) -> None:
        super().__init__(message)
        self.existing = existing
