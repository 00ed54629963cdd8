from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nominations.access import Perm, filter_holding
from nominations.models import Nomination


def nominations_visible_to(*, user: Any) -> QuerySet[Nomination]:
    """The nominations `user` may see: exactly those they hold `view_nomination` on, per object."""
    return filter_holding(Nomination.objects.all(), user, Perm.VIEW)
