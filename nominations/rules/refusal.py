"""A rule's refusal of a nomination: which rule, why, and its legal basis.

Its own module, so that the eligibility rules and the rules they gather (unit ratings, conditions, …)
share it without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str
    legal_basis: str

    def __str__(self) -> str:
        return f"{self.message} ({self.legal_basis})" if self.legal_basis else self.message
