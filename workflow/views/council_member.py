"""A council member's pages: the sessions I sit on, and voting on a phone as one flow —

the agenda as one card per item (`vote`) → a review of what I chose ("you chose X for item Y —
confirm", `vote_review`) → the ballots cast (`ballot_cast`) → every receipt of the session on one page
I can print or save (`receipts`).

With JavaScript, each card also runs the flow on its own, in place (htmx, `request.htmx`): the card's
"review" answers with the card in its review state (nothing written), its "confirm" casts that one
ballot and answers with the card marked voted, showing its receipt, and the progress ("3 trên 7 đã bỏ
phiếu") out of band. The same views without htmx keep the full-page flow above.

Receipts stay the member's own: the server stores only their hashes (docs/voting.md), so the ones shown
together are kept in the member's browser, in a signed cookie scoped to the session's pages, and never
in the database. Nothing here reads or shows a choice after it is cast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nominations.models import BallotParticipation, BallotReceipt, Choice, CouncilSession, Nomination, State
from nominations.selectors.council import agenda_of, council_sessions_visible_to, items_voted_by
from workflow.base.errors import NotPermitted, TransitionRefused
from workflow.base.inputs import parse_id
from workflow.services import council_ballots
from workflow.views.common import person_of

RECEIPTS_COOKIE = "council_receipts_{pk}"
RECEIPTS_SALT = "workflow.council.receipts"
RECEIPTS_MAX_AGE = 60 * 60 * 24 * 90  # long enough to check after the session closes


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    me = person_of(request)
    sessions = list(
        CouncilSession.objects.filter(members=me)
        .annotate(items=Count("agenda", distinct=True), member_count=Count("members", distinct=True))
        .order_by("-date", "-pk")
    )
    open_ids = [s.pk for s in sessions if s.is_open]
    voted: dict[int, int] = {}
    if open_ids:
        voted = dict(
            BallotParticipation.objects.filter(member=me, session_id__in=open_ids)
            .values_list("session_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    for s in sessions:
        s.voted = voted.get(s.pk, 0)  # type: ignore[attr-defined]
    return render(request, "workflow/my_sessions.html", {"sessions": sessions})


# --- the member's flow ------------------------------------------------------------------------------
@dataclass
class Card:
    """One agenda item as the member sees it: never anyone's choice, only whether *I* have voted."""

    nomination: Nomination
    voted: bool
    may_vote: bool
    concerns_me: bool
    chosen: str = ""
    number: int = 0
    receipt: str = ""  # this browser's receipt of the ballot, if it holds one (never the choice)
    reviewing: bool = False
    error: str = ""

    @property
    def chosen_label(self) -> str:
        return str(Choice(self.chosen).label) if self.chosen else ""


@dataclass
class ReceiptRow:
    nomination: Nomination
    receipt: str
    counted: bool


def _member_session(request: HttpRequest, pk: int) -> CouncilSession:
    """The session, if the user sits on it (404 otherwise: a non-member has no ballot to see)."""
    session = (
        council_sessions_visible_to(user=request.user)
        .filter(pk=pk, members=person_of(request))
        .select_related("chair")
        .first()
    )
    if session is None:
        raise Http404
    return session


def _concerns(nomination: Nomination, me: Any) -> bool:
    """The item is about the member themself, or about their own unit (they are warned, not stopped)."""
    return nomination.nominee_person_id == me.pk or (
        me.unit_id is not None and nomination.nominee_unit_id == me.unit_id
    )


def _cards(
    session: CouncilSession,
    me: Any,
    chosen: dict[int, str] | None = None,
    receipts: dict[str, str] | None = None,
) -> list[Card]:
    voted = items_voted_by(session=session, user=me)
    chosen = chosen or {}
    receipts = receipts or {}
    return [
        Card(
            nomination=n,
            voted=n.pk in voted,
            may_vote=session.is_open and n.state == State.IN_VOTE and n.pk not in voted,
            concerns_me=_concerns(n, me),
            chosen=chosen.get(n.pk, ""),
            number=number,
            receipt=receipts.get(str(n.pk), "") if n.pk in voted else "",
        )
        for number, n in enumerate(agenda_of(session), start=1)
    ]


def _card_of(cards: list[Card], item: int | None) -> Card:
    card = next((c for c in cards if c.nomination.pk == item), None)
    if card is None:
        raise Http404
    return card


def _card_answer(
    request: HttpRequest, session: CouncilSession, card: Card, cards: list[Card], *, status: int = 200
) -> HttpResponse:
    """One card, for htmx to put in place of the old one; the progress and the submit bar out of band."""
    context = {
        "session": session,
        "card": card,
        "choices": Choice.choices,
        "progress": _progress(cards),
        "open_cards": any(c.may_vote for c in cards),
        "oob": True,
    }
    return render(request, "workflow/council/_card_answer.html", context, status=status)


def _posted_choices(request: HttpRequest) -> dict[int, str]:
    """`choice-<item>` fields of the cards (items left blank are simply not voted on yet)."""
    picked: dict[int, str] = {}
    for key, value in request.POST.items():
        item = parse_id(key[7:]) if key.startswith("choice-") else None
        if item is not None and value in Choice.values:
            picked[item] = value
    return picked


def _progress(cards: list[Card]) -> dict[str, int]:
    return {"done": sum(c.voted for c in cards), "total": len(cards)}


@never_cache
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    session = _member_session(request, pk)
    me = person_of(request)
    cards = _cards(session, me, receipts=_receipts_of(request, pk))
    if request.htmx and "item" in request.GET:  # type: ignore[attr-defined]
        # "choose again" from a card's review: the card as it was, with the choice kept
        card = _card_of(cards, parse_id(request.GET["item"]))
        chosen = request.GET.get("choice", "")
        card.chosen = chosen if card.may_vote and chosen in Choice.values else ""
        return _card_answer(request, session, card, cards)
    return render(
        request,
        "workflow/council/vote.html",
        {
            "session": session,
            "cards": cards,
            "progress": _progress(cards),
            "choices": Choice.choices,
            "open_cards": any(c.may_vote for c in cards),
        },
    )


@never_cache
@login_required
@require_POST
def vote_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review step: what I chose, item by item, before anything is cast (nothing is written here)."""
    session = _member_session(request, pk)
    me = person_of(request)
    picked = _posted_choices(request)
    cards = _cards(session, me, picked, receipts=_receipts_of(request, pk))
    item = parse_id(request.POST.get("item"))
    if request.htmx:  # type: ignore[attr-defined]
        return _card_review(request, session, _card_of(cards, item), cards)
    if item is not None:  # a card's own "review" button, without JavaScript: that card only
        cards = [_card_of(cards, item)]
    chosen = [c for c in cards if c.chosen and c.may_vote]
    if not chosen:
        messages.error(request, _("Chọn một phương án cho ít nhất một nội dung trước khi xem lại."))
        return redirect("council:vote", pk=pk)
    return render(
        request,
        "workflow/council/review.html",
        {"session": session, "chosen": chosen},
    )


def _card_review(
    request: HttpRequest, session: CouncilSession, card: Card, cards: list[Card]
) -> HttpResponse:
    if not card.may_vote:
        card.error = (
            _("Bạn đã bỏ phiếu nội dung này; phiếu đã bỏ không thay đổi được.")
            if card.voted
            else _("Nội dung này không còn nhận phiếu.")
        )
        return _card_answer(request, session, card, cards, status=409)
    if not card.chosen:
        card.error = _("Chọn một phương án cho nội dung này trước khi xem lại.")
        return _card_answer(request, session, card, cards, status=400)
    card.reviewing = True
    return _card_answer(request, session, card, cards)


def _receipts_of(request: HttpRequest, pk: int) -> dict[str, str]:
    try:
        raw = request.get_signed_cookie(RECEIPTS_COOKIE.format(pk=pk), salt=RECEIPTS_SALT)
        value = json.loads(raw or "{}")
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _keep_receipts(response: HttpResponse, request: HttpRequest, pk: int, receipts: dict[str, str]) -> None:
    response.set_signed_cookie(
        RECEIPTS_COOKIE.format(pk=pk),
        json.dumps(receipts, separators=(",", ":")),
        salt=RECEIPTS_SALT,
        max_age=RECEIPTS_MAX_AGE,
        path=reverse("council:detail", args=[pk]),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


@never_cache
@login_required
@require_POST
def ballot_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """Cast the reviewed ballots (or one `nomination` + `choice`, as the page always accepted).

    Each ballot is its own transaction in `ballot_cast`: one refused (say, already voted on that item)
    leaves the others cast, and the message says which.
    """
    session = council_sessions_visible_to(user=request.user).filter(pk=pk).first()
    if session is None:
        raise Http404
    single = request.POST.get("nomination", "")
    if request.htmx:  # type: ignore[attr-defined]
        return _cast_in_place(
            request, session, single, request.POST.get("choice", ""), _receipts_of(request, pk)
        )
    picked: dict[Any, Any] = (
        {single: request.POST.get("choice", "")} if single else dict(_posted_choices(request))
    )
    if not picked:
        messages.error(request, _("Chọn một phương án cho ít nhất một nội dung."))
        return redirect("council:vote", pk=pk)
    receipts = _receipts_of(request, pk)
    cast: list[str] = []
    for nomination, choice in picked.items():
        try:
            receipt = council_ballots.ballot_cast(
                session=session, nomination=nomination, voter=request.user, choice=choice
            )
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            receipts[str(parse_id(nomination))] = receipt  # the key the receipts page reads back
            cast.append(receipt)
    if len(cast) == 1:
        messages.success(
            request,
            _(
                "Đã ghi nhận phiếu kín của bạn. Mã biên nhận: %(receipt)s — hãy ghi lại: chỉ người giữ mã "
                "này kiểm tra được phiếu đã được tính. Hệ thống không lưu mã này và không lưu bạn đã chọn gì."
            )
            % {"receipt": cast[0]},
        )
    elif cast:
        messages.success(
            request,
            _(
                "Đã ghi nhận %(n)s phiếu kín của bạn. Các mã biên nhận ở trang này: hãy in hoặc lưu lại. "
                "Hệ thống không lưu các mã này và không lưu bạn đã chọn gì."
            )
            % {"n": len(cast)},
        )
    target = reverse("council:receipts", args=[pk]) if cast else reverse("council:vote", args=[pk])
    response = redirect(target)
    if cast:
        _keep_receipts(response, request, pk, receipts)
    return response


def _cast_in_place(
    request: HttpRequest, session: CouncilSession, nomination: str, choice: str, receipts: dict[str, str]
) -> HttpResponse:
    """A card's "confirm": cast its one ballot, answer with the card marked voted and its receipt."""
    item = parse_id(nomination)
    if item is None:
        return HttpResponse(_("Chọn nội dung để bỏ phiếu."), status=400)
    try:
        receipt = council_ballots.ballot_cast(
            session=session, nomination=nomination, voter=request.user, choice=choice
        )
    except NotPermitted as refusal:  # not a member: there is no card of theirs to show
        return HttpResponse(refusal.message, status=refusal.status)
    except TransitionRefused as refusal:
        cards = _cards(session, person_of(request), receipts=receipts)
        card = _card_of(cards, item)
        card.error = refusal.message
        return _card_answer(request, session, card, cards, status=refusal.status)
    receipts[str(item)] = receipt
    cards = _cards(session, person_of(request), receipts=receipts)
    response = _card_answer(request, session, _card_of(cards, item), cards)
    _keep_receipts(response, request, session.pk, receipts)
    return response


@never_cache
@login_required
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """Every receipt of the session this browser holds, each checked against the ballot box in one query."""
    session = _member_session(request, pk)
    held = _receipts_of(request, pk)
    by_id = {item: r for k, r in held.items() if (item := parse_id(k)) is not None}
    ids = list(by_id)
    items = {n.pk: n for n in agenda_of(session).filter(pk__in=ids)} if ids else {}
    digests = {BallotReceipt.digest_of(r) for r in held.values() if BallotReceipt.normalise(r)}
    counted = (
        set(
            BallotReceipt.objects.filter(session=session, digest__in=digests).values_list("digest", flat=True)
        )
        if digests
        else set()
    )
    rows = sorted(
        (
            ReceiptRow(nomination=items[k], receipt=r, counted=BallotReceipt.digest_of(r) in counted)
            for k, r in by_id.items()
            if k in items
        ),
        key=lambda row: row.nomination.pk,
    )
    if request.GET.get("format") == "txt":
        lines = [f"{session.name} — {session.date:%d/%m/%Y}", ""]
        lines += [f"{row.nomination.nominee} — {row.nomination.award.name}: {row.receipt}" for row in rows]
        response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bien-nhan-phien-{session.pk}.txt"'
        return response
    cards = _cards(session, person_of(request))
    return render(
        request,
        "workflow/council/receipts.html",
        {"session": session, "rows": rows, "progress": _progress(cards)},
    )
