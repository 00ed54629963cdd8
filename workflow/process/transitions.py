"""The transitions of `Nomination.state`, read from the model's django-fsm declarations.

This registry is derived, never written by hand: the diagram in docs/state-machine.md, the API's
`available_transitions`, the pages' buttons and the services all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django_fsm import RETURN_VALUE

from nominations.models import Nomination, State, transition_name


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    method: str
    # Lazy: the registry is built once per process, the label is read in each request's language.
    label: Promise | str
    perm: str
    sources: frozenset[str]
    targets: tuple[str, ...]
    needs_comment: bool
    fields: tuple[str, ...]


@cache
def registry() -> dict[str, TransitionSpec]:
    field = Nomination._meta.get_field("state")
    collected: dict[str, dict[str, Any]] = {}
    for t in field.get_all_transitions(Nomination):  # type: ignore[attr-defined]
        name = transition_name(t.name)
        entry = collected.setdefault(
            name, {"method": t.name, "custom": t.custom, "sources": set(), "targets": []}
        )
        entry["sources"].add(t.source)
        targets = list(t.target.allowed_states) if isinstance(t.target, RETURN_VALUE) else [t.target]
        for target in targets:
            if target not in entry["targets"]:
                entry["targets"].append(target)
    return {
        name: TransitionSpec(
            name=name,
            method=e["method"],
            label=e["custom"]["label"],
            perm=e["custom"]["perm"],
            sources=frozenset(str(s) for s in e["sources"]),
            targets=tuple(str(t) for t in e["targets"]),
            needs_comment=e["custom"]["needs_comment"],
            fields=tuple(e["custom"]["fields"]),
        )
        for name, e in collected.items()
    }


def spec(name: str) -> TransitionSpec:
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"no transition named {name!r}") from None


def edges() -> list[tuple[str, str, str]]:
    """(source, transition, target) for every edge, sorted — the state diagram as data."""
    return sorted(
        (source, s.name, target) for s in registry().values() for source in s.sources for target in s.targets
    )


ALL_STATES: tuple[str, ...] = tuple(State.values)
