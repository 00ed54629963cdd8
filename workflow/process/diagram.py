"""docs/state-machine.md, generated from the code: the fsm declarations, the grants and the conditions.

`python manage.py state_diagram` rewrites the file; a test fails when the committed file and the
code differ, so the diagram can never drift from what the services enforce.
"""

from __future__ import annotations

from django.utils import translation

from nominations.access import ROLE_PERMS
from nominations.models import FINAL_STATES, State
from nominations.rules.conditions import CONDITIONS
from workflow.process.transitions import edges, registry
from workflow.rights.permissions import UNIT_HEAD_PERMS

DOC_PATH = "docs/state-machine.md"
# Order of the table: the normal path first, as in DOMAIN.md.
_ORDER = [
    "submit",
    "resubmit",
    "withdraw",
    "return",
    "mark_ineligible",
    "evaluate",
    "hold",
    "release",
    "schedule",
    "close_vote",
    "propose",
    "approve",
    "decline",
    "forward",
    "record_outcome",
    "report",
    "revoke",
]


def mermaid() -> str:
    """The state diagram as Mermaid `stateDiagram-v2` text, one line per edge of `edges()`."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    lines += [f"    {source} --> {target}: {name}" for source, name, target in edges()]
    lines += [f"    {state} --> [*]" for state in sorted(FINAL_STATES)]
    return "\n".join(lines) + "\n"


def who(perm: str) -> str:
    """The holders of `perm` on a nomination: the roles that hold it agency-wide, the unit's heads."""
    holders = [f"`{role}`" for role, perms in ROLE_PERMS.items() if perm in perms]
    if perm in UNIT_HEAD_PERMS:
        holders.insert(0, "unit head of the nominating unit (`unit:<code>:heads`)")
    return " or ".join(holders) or "nobody"


def needs(name: str) -> str:
    spec = registry()[name]
    parts: list[str] = []
    if spec.needs_comment:
        parts.append("a reason (comment)")
    if spec.fields:
        parts.append(", ".join(f"`{field}`" for field in spec.fields))
    parts.extend(condition.label for condition in CONDITIONS.get(name, []))
    return "; ".join(parts) or "—"


def _names() -> list[str]:
    names = list(registry())
    missing = sorted(set(names) - set(_ORDER))
    return [n for n in _ORDER if n in names] + missing


def table() -> str:
    rows = [
        "| transition | label | from | to | who | permission | needs |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in _names():
        spec = registry()[name]
        sources = ", ".join(sorted(spec.sources))
        targets = " \\| ".join(spec.targets)
        rows.append(
            f"| `{name}` | {spec.label} | {sources} | {targets} | {who(spec.perm)} | `{spec.perm}` | "
            f"{needs(name)} |"
        )
    return "\n".join(rows) + "\n"


def states() -> str:
    rows = ["| state | label | final |", "|---|---|---|"]
    rows += [f"| `{s.value}` | {s.label} | {'yes' if s in FINAL_STATES else ''} |" for s in State]
    return "\n".join(rows) + "\n"


def document() -> str:
    """The whole of docs/state-machine.md (labels in the source language, Vietnamese)."""
    with translation.override(None):
        return (
            "# The states of a nomination\n\n"
            "<!-- Generated from the code by `python manage.py state_diagram`: do not edit by hand.\n"
            "     tests/process/test_state_diagram.py fails when this file and the code differ. -->\n\n"
            "`Nomination.state` is a django-fsm-2 `FSMField(protected=True)`; each transition below is run only\n"
            "by its service `workflow.services.transitions.nomination_<name>`, which locks the row, checks the\n"
            "actor's per-object grant (403), the source state (409) and the conditions (409, citing the legal\n"
            "basis), then saves and appends one audit event. Global permissions and superuser status give no\n"
            "right to any transition.\n\n"
            "```mermaid\n" + mermaid() + "```\n\n"
            "## Transitions\n\n" + table() + "\n"
            "## States\n\n" + states()
        )
