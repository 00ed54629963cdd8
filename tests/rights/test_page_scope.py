"""Every role's pages are scoped per object: a nomination the person holds no right on (at any level: their
role, their unit, the nomination) is neither listed nor reachable by URL (404), and list pages cost a fixed
number of queries whatever their length."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.models import GroupObjectPermission

from nominations.access import AGENCY_ROLES
from nominations.models import Campaign, Nomination, State
from tests.builders import core as builders
from workflow.services import transitions as t

pytestmark = pytest.mark.django_db

# One account per role of DOMAIN.md (API.md's demo accounts), and a staff member with no role.
ROLE_ACCOUNTS = [
    "head-tkkt",  # unit head of another unit
    "staff-tkth-1",  # no role, same unit as the nomination
    "office1",
    "secretary",
    "council1",
    "director",
    "deputy",
    "auditor",
    "admin",
]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _urls(n: Nomination) -> list[str]:
    f = n.files.first()
    assert f is not None
    return [
        reverse("nomination_detail", args=[n.pk]),
        reverse("nomination_edit", args=[n.pk]),
        reverse("nomination_action", args=[n.pk, "withdraw"]),
        reverse("nomination_action", args=[n.pk, "evaluate"]),
        reverse("dossier_file_download", args=[n.pk, f.pk]),
    ]


def _lists(client: Client) -> str:
    pages = [reverse("nomination_list"), reverse("my_tasks"), reverse("decisions:home"), reverse("home")]
    bodies = []
    for url in [*pages, reverse("dashboard")]:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def _marker(n: Nomination) -> str:
    return f'href="{reverse("nomination_detail", args=[n.pk])}"'


def test_another_units_nomination_is_neither_listed_nor_reachable_for_a_unit_head_and_staff(
    demo: None, client: Client
) -> None:
    theirs = t.nomination_submit(
        nomination=builders.draft(award="LDTT", nominee="staff-tkth-2"), actor=builders.person("head-tkth")
    )
    mine = builders.draft(award="LDTT", nominee="staff-tkkt-1")
    for username in ("head-tkkt", "staff-tkth-1", "staff-tkkt-1", "council1"):
        client.force_login(builders.person(username))
        body = _lists(client)
        assert _marker(theirs) not in body, username
        for url in _urls(theirs):
            assert client.get(url).status_code == 404, (username, url)
            assert client.post(url, {}).status_code in (404, 405), (username, url)
    client.force_login(builders.person("head-tkkt"))
    assert _marker(mine) in client.get(reverse("nomination_list")).content.decode()
    assert client.get(reverse("nomination_detail", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("username", ROLE_ACCOUNTS)
def test_for_every_role_a_nomination_it_holds_no_grant_on_is_not_listed_and_is_a_404(
    demo: None, client: Client, username: str
) -> None:
    hidden = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-2"), State.PROPOSED)
    shown = builders.to_state(builders.draft(award="LDTT", nominee="staff-tkth-3"), State.PROPOSED)
    # Only the nominating unit's heads keep their rights on `hidden`: every role group loses its own, at
    # the level each is held (issue 17) — a grant on the nomination, and the agency-wide role's group
    # permissions (which reach every nomination: `shown` is tried with them given back).
    content_type = ContentType.objects.get_for_model(Nomination)
    GroupObjectPermission.objects.filter(content_type=content_type, object_pk=str(hidden.pk)).exclude(
        group__name="unit:tkth:heads"
    ).delete()
    role_rights = {
        group: list(group.permissions.filter(content_type=content_type))
        for group in Group.objects.filter(name__in=AGENCY_ROLES)
    }
    for group, rights in role_rights.items():
        group.permissions.remove(*rights)
    person = builders.person(username)
    client.force_login(person)
    body = _lists(client)
    assert _marker(hidden) not in body
    for url in _urls(hidden):
        assert client.get(url).status_code == 404, url
    agency_wide = {"office1", "secretary", "director", "auditor"}
    if username in agency_wide:  # these roles see every nomination, through their role's rights
        for group, rights in role_rights.items():
            group.permissions.add(*rights)
        assert client.get(reverse("nomination_detail", args=[shown.pk])).status_code == 200
        assert _marker(shown) in client.get(reverse("nomination_list")).content.decode()


def _make(count: int, *, further: bool = True) -> None:
    """`count` nominations across units (drafts are cheap; with `further`, three go further along)."""
    staff = ["staff-tkth-2", "staff-tkth-3", "staff-tkkt-1", "staff-tkxh-1", "staff-ttth-1"]
    # One standing nomination per nominee, award and campaign: the drafts spread over campaigns and awards.
    campaigns = list(Campaign.objects.order_by("pk"))  # every demo unit takes part in each
    awards = ("GIAY_KHEN", "CSTDCS", "BANG_KHEN", "CSTD_TINH", "LDTT")
    combos = [(c, a) for c in campaigns for a in awards if (c, a) != (builders.annual_campaign(), "LDTT")]
    for i in range(count):
        nominee = staff[i % len(staff)]
        if further and i < 3:
            builders.to_state(
                builders.draft(award="LDTT", nominee=nominee),
                [State.SUBMITTED, State.EVALUATED, State.PROPOSED][i],
            )
        else:
            campaign, award = combos[i // len(staff)]
            builders.draft(award=award, nominee=nominee, files=False, campaign=campaign)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = {
    # session, user, groups; then the page's own queries
    # + holidays, deadlines, count, the page's ids, its rows, and the filter's 3 choice lists
    "nomination_list": ("office1", 11),
    # + holidays, deadlines, one grouped count (state, unit, award, campaign), the overdue count, the page's
    #   ids, its rows, the filter's 3 choice lists (the paginator's count is the grouped count's total)
    "dashboard": ("office1", 12),
    "my_tasks": ("office1", 8),  # + holidays, deadlines, inbox, the queue's count, its page
    # + the log's size, rows with their actors' units by name, one name query per kind of object shown (2)
    "audit_log": ("auditor", 7),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_list_pages_cost_the_same_queries_for_3_and_30_nominations(
    demo: None, client: Client, django_assert_num_queries: Any, page: str
) -> None:
    username, expected = PAGES[page]
    client.force_login(builders.person(username))
    url = reverse(page)
    _make(3)
    client.get(url)  # warm per-process caches (content types, permission ids)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _make(27, further=False)
    assert Nomination.objects.count() == 30
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
