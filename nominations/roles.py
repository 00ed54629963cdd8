"""Who a person is in the agency: the role predicates every view and service asks.

A role is a Django group of the same name (`Role`); these predicates read `Person.role_codes` (the
person's role names, one query per request, then cached on the person), and answer False for an
anonymous user instead of failing. Rights on a nomination are not asked here: they are read by
`nominations.access`, which decides who may act on which object. Keep a role test in this module,
never written out again in a view or a service, so a page and the service behind it always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nominations.models.org import Role  # the module, not the package: access → delegations → roles

# The roles that follow the whole agency's work: targets, submissions, decisions, the dashboard.
AGENCY_READERS: tuple[str, ...] = (Role.OFFICE_STAFF, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.AUDITOR)
# The roles that read every person's record and the audit log.
RECORD_READERS: tuple[str, ...] = (Role.OFFICE_STAFF, Role.AUDITOR)
# The roles that sign decisions: the Director, and a Deputy Director (under a delegation).
DECIDERS: tuple[str, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# The council's own roles.
COUNCIL: tuple[str, ...] = (Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.COUNCIL_CHAIR)
# The roles that see every council session, not only those they sit on.
SESSION_OVERSEERS: tuple[str, ...] = (Role.COUNCIL_SECRETARY, Role.OFFICE_STAFF, Role.AUDITOR, Role.DIRECTOR)


def is_active(user: Any) -> bool:
    """A signed-in, active account (a service's actor may be an inactive person)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user: Any, role: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.has_role(role))


def has_any_role(user: Any, roles: Iterable[str]) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return any(user.has_role(role) for role in roles)


def is_office(user: Any) -> bool:
    return has_role(user, Role.OFFICE_STAFF)


def is_director(user: Any) -> bool:
    return has_role(user, Role.DIRECTOR)


def is_deputy_director(user: Any) -> bool:
    return has_role(user, Role.DEPUTY_DIRECTOR)


def is_decider(user: Any) -> bool:
    return has_any_role(user, DECIDERS)


def is_council_secretary(user: Any) -> bool:
    return has_role(user, Role.COUNCIL_SECRETARY)


def is_council_chair(user: Any) -> bool:
    return has_role(user, Role.COUNCIL_CHAIR)


def is_auditor(user: Any) -> bool:
    return has_role(user, Role.AUDITOR)


def is_administrator(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def is_unit_head(user: Any) -> bool:
    """Holds the unit-head role (whether or not a unit is set: see `heads_a_unit`)."""
    return has_role(user, Role.UNIT_HEAD)


def heads_a_unit(user: Any) -> bool:
    """A unit head with a unit: the one who acts for it (submits, imports, answers for it)."""
    return is_unit_head(user) and user.unit_id is not None


def heads_unit(user: Any, unit_id: int | None) -> bool:
    """The head of this very unit."""
    return heads_a_unit(user) and user.unit_id == unit_id


def reads_the_agency(user: Any) -> bool:
    """Follows the whole agency's work (AGENCY_READERS)."""
    return has_any_role(user, AGENCY_READERS)


def reads_all_records(user: Any) -> bool:
    """Reads every person's record and the audit log (RECORD_READERS)."""
    return has_any_role(user, RECORD_READERS)


def oversees_sessions(user: Any) -> bool:
    return has_any_role(user, SESSION_OVERSEERS)
