from nominations.models.awards import (
    Award,
    AwardRecord,
    AwardRule,
    BaseSalary,
    Initiative,
    NoRuleInForce,
    Recipient,
    rule_for,
)
from nominations.models.campaigns import Campaign, Commitment
from nominations.models.council import CouncilSession
from nominations.models.nomination import (
    EDITABLE_STATES,
    FINAL_STATES,
    DossierFile,
    Nomination,
    Rating,
    State,
    method_name,
    transition_name,
)
from nominations.models.org import Case, OrgUnit, Person, Role
from nominations.models.participation import Complaint, Delegation, NoticePublication

__all__ = [
    "EDITABLE_STATES",
    "FINAL_STATES",
    "Award",
    "AwardRecord",
    "AwardRule",
    "BaseSalary",
    "Campaign",
    "Case",
    "Commitment",
    "Complaint",
    "CouncilSession",
    "Delegation",
    "DossierFile",
    "Initiative",
    "NoRuleInForce",
    "Nomination",
    "NoticePublication",
    "OrgUnit",
    "Person",
    "Rating",
    "Recipient",
    "Role",
    "State",
    "method_name",
    "rule_for",
    "transition_name",
]
