"""Builders for tests: real nominations made through the real services (no mocked domain)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nominations.models import (
    AnnualRating,
    Award,
    AwardRecord,
    Campaign,
    CouncilSession,
    DossierFile,
    Nomination,
    OrgUnit,
    Person,
)
from nominations.rules.eligibility import members_of
from workflow.services import nominations as nomination_services
from workflow.services import transitions as t
from workflow.services.decisions import nomination_approve

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "ho-so.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def signed_in(username: str) -> Client:
    """A browser session of a demo account (the test client, signed in without a password)."""
    client = Client()
    client.force_login(person(username))
    return client


def creation_form(*, nominee: str = "staff-tkth-2", award: str = "LDTT", **fields: Any) -> dict[str, Any]:
    """The fields of the page's "Lập hồ sơ" form for a nominee of the head's unit; `fields` add or replace."""
    return {
        "campaign": annual_campaign().pk,
        "award": Award.objects.get(code=award).pk,
        "nominee": f"person:{person(nominee).pk}",
        "summary": "Hoàn thành xuất sắc nhiệm vụ.",
        "rating": "htxs",
        **fields,
    }


def annual_campaign() -> Campaign:
    return Campaign.objects.get(kind=Campaign.Kind.ANNUAL)


def person(username: str) -> Person:
    return Person.objects.select_related("unit").get(username=username)


def draft(
    *,
    award: str = "LDTT",
    nominee: str = "staff-tkth-2",
    head: str | None = None,
    unit_nominee: bool = False,
    rating: str = "htxs",
    files: bool = True,
    initiatives: list[str] | None = None,
    campaign: Campaign | None = None,
    members_qualified: bool = True,
) -> Nomination:
    """A draft made by the nominee's unit head, with a complete dossier unless `files=False`.

    For a collective (`unit_nominee`), its members meet the members' criteria of the collective titles
    in the campaign's year unless `members_qualified=False` (see `qualify_members`).
    """
    nominee_person = None if unit_nominee else person(nominee)
    unit = person(head).unit if head else (nominee_person.unit if nominee_person else None)
    assert unit is not None
    campaign = campaign or annual_campaign()
    if unit_nominee and members_qualified:
        qualify_members(unit, campaign.year)
    head_person = person(head or f"head-{unit.code}")
    nomination = nomination_services.nomination_create(
        actor=head_person,
        campaign=campaign,
        award=Award.objects.get(code=award),
        nominee_person=nominee_person,
        nominee_unit=unit if unit_nominee else None,
        summary="Hoàn thành xuất sắc nhiệm vụ năm 2023.",
        rating=rating,
        initiatives=initiatives,
    )
    if files:
        for kind in DossierFile.Kind.values:
            if kind != DossierFile.Kind.OTHER:
                nomination_services.dossier_file_add(
                    nomination=nomination, actor=head_person, upload=pdf(), kind=kind
                )
    return nomination


def qualify_members(unit: OrgUnit, year: int) -> None:
    """Every member of `unit` LĐTT of `year` on record and rated "htt", the first (by username) CSTĐCS too."""
    members = list(members_of(unit).order_by("username"))
    ldtt, cstdcs = Award.objects.get(code="LDTT"), Award.objects.get(code="CSTDCS")
    for i, member in enumerate(members):
        titles = [ldtt, cstdcs] if i == 0 else [ldtt]
        for award in titles:
            AwardRecord.objects.get_or_create(person=member, award=award, year=year)
        AnnualRating.objects.update_or_create(person=member, year=year, defaults={"rating": "htt"})


def session(*, members: list[str] | None = None, state: str = CouncilSession.State.OPEN) -> CouncilSession:
    names = members or ["director", "secretary", *[f"council{i}" for i in range(1, 8)]]
    s = CouncilSession.objects.create(
        name="Phiên họp xét khen thưởng năm 2023", date=datetime.date(2023, 12, 20), state=state
    )
    s.members.set(Person.objects.filter(username__in=names))
    return s


def free_decision_number(year: int = 2024) -> str:
    """The first free "NN/QĐ-CTK" of the year: every approval issues its own decision (API.md), and
    a decision's number is unique in its year. The first approval of a test is "01/QĐ-CTK"."""
    from nominations.models import Decision

    used = set(Decision.objects.filter(year=year).values_list("number", flat=True))
    return next(f"{n:02d}/QĐ-CTK" for n in range(1, 10_000) if f"{n:02d}/QĐ-CTK" not in used)


def to_state(nomination: Nomination, target: str, **opts: Any) -> Nomination:
    """Drive a nomination along the normal path with the demo accounts until it reaches `target`."""
    head = person(f"head-{nomination.nominating_unit.code}")
    office, secretary, director = person("office1"), person("secretary"), person("director")
    path: list[tuple[str, Any]] = [
        ("submitted", lambda n: t.nomination_submit(nomination=n, actor=head)),
        (
            "evaluated",
            lambda n: t.nomination_evaluate(nomination=n, actor=office, score=95, assessment="Đạt"),
        ),
        (
            "in_vote",
            lambda n: t.nomination_schedule(
                nomination=n, actor=secretary, session=opts.get("session") or session()
            ),
        ),
        ("proposed", lambda n: t.nomination_close_vote(nomination=n, actor=secretary, passed=True)),
        (
            "approved",
            lambda n: nomination_approve(
                nomination=n,
                actor=director,
                decision_number=free_decision_number(),
                decision_date=datetime.date(2024, 1, 10),
            ),
        ),
        ("reported", lambda n: t.nomination_report(nomination=n, actor=office)),
    ]
    for state, step in path:
        if nomination.state == target:
            break
        nomination = step(nomination)
        assert nomination.state == state, (nomination.state, state)
    return nomination


# The shortest way from draft to each state, as the demo accounts would go (see `drive`).
PATHS: dict[str, list[str]] = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "ineligible": ["submit", "mark_ineligible"],
    "on_hold": ["submit", "hold"],
    "withdrawn": ["withdraw"],
    "evaluated": ["submit", "evaluate"],
    "in_vote": ["submit", "evaluate", "schedule"],
    "proposed": ["submit", "evaluate", "to_proposed"],
    "council_failed": ["submit", "evaluate", "schedule", "close_vote_failed"],
    "approved": ["submit", "evaluate", "to_proposed", "approve"],
    "declined": ["submit", "evaluate", "to_proposed", "decline"],
    "reported": ["submit", "evaluate", "to_proposed", "approve", "report"],
    "revoked": ["submit", "evaluate", "to_proposed", "approve", "revoke"],
    "forwarded": ["submit", "evaluate", "to_proposed", "forward"],
    "granted": ["submit", "evaluate", "to_proposed", "forward", "granted"],
    "not_granted": ["submit", "evaluate", "to_proposed", "forward", "not_granted"],
}


def drive(
    nomination: Nomination, target: str, *, council_session: CouncilSession | None = None
) -> Nomination:
    """Drive a draft to any state through the services, with the demo accounts (see `PATHS`).

    `proposed` is reached through the council (schedule, close_vote) when the award's rule needs a
    vote, through `propose` otherwise.
    """
    from nominations.rules.eligibility import rule_of

    head = person(f"head-{nomination.nominating_unit.code}")
    office, secretary, director = person("office1"), person("secretary"), person("director")
    reason = "Lý do ghi trong hồ sơ."
    steps: dict[str, Any] = {
        "submit": lambda n: t.nomination_submit(nomination=n, actor=head),
        "withdraw": lambda n: t.nomination_withdraw(nomination=n, actor=head, comment=reason),
        "return": lambda n: t.nomination_return(nomination=n, actor=office, comment=reason),
        "mark_ineligible": lambda n: t.nomination_mark_ineligible(nomination=n, actor=office, comment=reason),
        "hold": lambda n: t.nomination_hold(nomination=n, actor=office, comment=reason),
        "evaluate": lambda n: t.nomination_evaluate(nomination=n, actor=office, score=95, assessment="Đạt"),
        "schedule": lambda n: t.nomination_schedule(
            nomination=n, actor=secretary, session=council_session or session()
        ),
        "close_vote_failed": lambda n: t.nomination_close_vote(nomination=n, actor=secretary, passed=False),
        "approve": lambda n: nomination_approve(
            nomination=n,
            actor=director,
            decision_number=free_decision_number(),
            decision_date=datetime.date(2024, 1, 10),
        ),
        "decline": lambda n: t.nomination_decline(nomination=n, actor=director, comment=reason),
        "report": lambda n: t.nomination_report(nomination=n, actor=office),
        "revoke": lambda n: t.nomination_revoke(nomination=n, actor=director, comment=reason),
        "forward": lambda n: t.nomination_forward(
            nomination=n, actor=director, submission_number="05/TTr-CTK"
        ),
        "granted": lambda n: t.nomination_record_outcome(
            nomination=n, actor=office, granted=True, decision_number="120/QĐ-UBND"
        ),
        "not_granted": lambda n: t.nomination_record_outcome(
            nomination=n, actor=office, granted=False, decision_number="121/QĐ-UBND"
        ),
    }

    def to_proposed(n: Nomination) -> Nomination:
        if not rule_of(n).requires_vote:
            return t.nomination_propose(nomination=n, actor=office)
        n = steps["schedule"](n)
        return t.nomination_close_vote(nomination=n, actor=secretary, passed=True)

    steps["to_proposed"] = to_proposed
    assert nomination.state == "draft", nomination.state
    for step in PATHS[target]:
        nomination = steps[step](nomination)
    assert nomination.state == target, (nomination.state, target)
    return nomination


def in_state(
    target: str, *, council_session: CouncilSession | None = None, **draft_options: Any
) -> Nomination:
    """A nomination in `target`, made and moved only through the services (options as for `draft`)."""
    return drive(draft(**draft_options), target, council_session=council_session)
