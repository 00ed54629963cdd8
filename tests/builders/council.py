"""Council sessions built through the real services, for the council tests."""

from __future__ import annotations

import datetime

from nominations.models import CouncilSession, Nomination, State
from tests.builders import core as builders
from workflow.services import council_ballots, council_count, council_sessions

NINE = ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]


def evaluated(award: str = "LDTT", nominee: str = "staff-tkth-2", **kwargs: object) -> Nomination:
    return builders.to_state(builders.draft(award=award, nominee=nominee, **kwargs), State.EVALUATED)  # type: ignore[arg-type]


def cstdcs(nominee: str = "staff-tkth-2") -> Nomination:
    """A CSTĐCS nomination (its same-year LĐTT is nominated alongside, as the rule requires)."""
    builders.draft(award="LDTT", nominee=nominee)
    return evaluated(award="CSTDCS", nominee=nominee)


def session_with(
    items: list[Nomination], *, members: list[str] | None = None, open_: bool = True
) -> CouncilSession:
    secretary = builders.person("secretary")
    session = council_sessions.council_session_create(
        actor=secretary,
        name="Phiên họp xét danh hiệu năm 2023",
        date=datetime.date(2023, 12, 20),
        members=[builders.person(u).pk for u in (members or NINE)],
    )
    for nomination in items:
        council_sessions.council_agenda_add(session=session, nomination=nomination, actor=secretary)
    if open_:
        session = council_sessions.council_session_open(session=session, actor=secretary)
    return session


def vote(session: CouncilSession, nomination: Nomination, choices: dict[str, str]) -> dict[str, str]:
    """Each named member votes; returns their receipts."""
    return {
        username: council_ballots.ballot_cast(
            session=session, nomination=nomination, voter=builders.person(username), choice=choice
        )
        for username, choice in choices.items()
    }


def spread(yes: int, no: int = 0, abstain: int = 0, members: list[str] | None = None) -> dict[str, str]:
    """The first `yes` members vote yes, the next `no` no, the next `abstain` abstain."""
    names = members or NINE
    assert yes + no + abstain <= len(names)
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    return dict(zip(names, choices, strict=False))


def close(session: CouncilSession) -> CouncilSession:
    council_count.council_session_close(session=session, actor=builders.person("secretary"))
    return CouncilSession.objects.get(pk=session.pk)


def forget_cached_ids() -> None:
    """Transactional tests flush the database, and PostgreSQL then gives permissions and content types
    new ids: forget the ids cached by earlier tests (`workflow.rights.permissions` caches permission ids)."""
    from django.contrib.contenttypes.models import ContentType

    from workflow.rights import permissions

    permissions._permission_ids.cache_clear()
    ContentType.objects.clear_cache()
