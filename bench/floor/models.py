"""The floor: the least a state machine with an audit trail can cost on this database.

A bare django-fsm-2 model (no permission check, no rules, no HMAC chain, no notifications) and one
plain audit row per transition. Every transition figure of the product is reported next to this one,
measured in the same run on the same database with the same N.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition


class FloorItem(models.Model):
    state = FSMField(default="draft", max_length=16)

    def __str__(self) -> str:
        return f"{self.pk}: {self.state}"

    @transition(field=state, source="draft", target="submitted")
    def submit(self) -> None:
        pass

    @transition(field=state, source="submitted", target="evaluated")
    def evaluate(self) -> None:
        pass

    @transition(field=state, source="evaluated", target="in_vote")
    def schedule(self) -> None:
        pass

    @transition(field=state, source="in_vote", target="proposed")
    def close_vote(self) -> None:
        pass

    @transition(field=state, source="proposed", target="approved")
    def approve(self) -> None:
        pass

    @transition(field=state, source="approved", target="reported")
    def report(self) -> None:
        pass


class FloorAudit(models.Model):
    item = models.ForeignKey(FloorItem, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.item_id} {self.transition}"


class FloorBallot(models.Model):
    """The floor of a ballot request: one row per (voter, item), a duplicate refused by the database."""

    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.PositiveIntegerField()
    choice = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "item"], name="floor_ballot_once")]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.item}"
