"""What a person may do to a nomination, as every page offers it: the transitions they may run now and
whether they may edit it (its fields and files). One computation for the nomination's own page and for the
rows of a list that names nominations (a unit's submission), so both offer the same actions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nominations.access import Perm, codenames_held
from nominations.models import FINAL_STATES, Nomination
from workflow.process.flows import NominationFlow, step_for_state
from workflow.process.transitions import TransitionSpec, registry

# Actions the pages never offer as a button: the vote's outcome comes from the tally, not from a person.
NOT_ON_PAGES = frozenset({"close_vote"})


def is_irreversible(spec: TransitionSpec) -> bool:
    """A transition that ends the nomination (decline, revoke, mark ineligible, withdraw): the pages link
    to its own page, which asks for confirmation, instead of offering its button inline."""
    return all(target in FINAL_STATES for target in spec.targets)


def available_actions(nomination: Nomination, held: set[str]) -> list[TransitionSpec]:
    """The transitions this person may run now, the open step's own actions first (in its order)."""
    step = NominationFlow.instance.node(step_for_state(nomination.state), no_obsolete=True)
    order = list(getattr(step, "actions", ()))
    specs = [
        spec
        for spec in registry().values()
        if nomination.state in spec.sources and spec.perm in held and spec.name not in NOT_ON_PAGES
    ]
    return sorted(specs, key=lambda spec: order.index(spec.name) if spec.name in order else len(order))


@dataclass(frozen=True)
class RowActions:
    """The actions of one nomination for one person: edit it (fields, files), and each transition with
    whether it is irreversible (offered as a link to its confirmation page)."""

    can_edit: bool
    transitions: list[tuple[TransitionSpec, bool]]

    def __bool__(self) -> bool:
        return self.can_edit or bool(self.transitions)


def row_actions(nomination: Nomination, held: set[str], *, skip: Iterable[str] = ()) -> RowActions:
    """`held`: the codenames the person holds on this nomination (`codenames_held`, per object)."""
    skipped = set(skip)
    return RowActions(
        can_edit=Perm.CHANGE in held and nomination.is_editable,
        transitions=[
            (spec, is_irreversible(spec))
            for spec in available_actions(nomination, held)
            if spec.name not in skipped
        ],
    )


def held_on(user: object, nominations: list[Nomination]) -> dict[int, set[str]]:
    """pk → the codenames `user` holds on each nomination, for a whole list in one query."""
    held = codenames_held(user, nominations)
    return {n.pk: held.get(str(n.pk), set()) for n in nominations}
