"""Hypothesis over the API with the values schemathesis does not make from the schema's types: text in
integer parameters (`²`, `١٢`, 2⁸⁰), control characters, nested JSON in every field, several roles.
Every answer is below 500 and every error is JSON. Derandomized, MAX_EXAMPLES per test (~1–2 s each;
400 passes on SQLite and PostgreSQL in under two minutes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.robust.test_fuzz_pages import RUN, odd_value
from tests.robust.test_odd_input import api

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30

LISTS = {
    "/api/nominations/": ["state", "campaign", "unit", "award", "page"],
    "/api/people/": ["unit", "role", "page"],
    "/api/audit/": ["nomination", "actor", "since", "page"],
    "/api/commitments/": ["campaign", "unit"],
    "/api/commitments/status/": ["campaign"],
    "/api/award-history/": ["person"],
    "/api/complaints/": ["page"],
    "/api/decisions/": ["page"],
    "/api/council-sessions/": ["page"],
    "/api/targets/": ["campaign", "page"],
    "/api/target-results/": ["campaign", "target", "unit", "period", "page"],
    "/api/reviews/": ["page"],
    "/api/unit-ratings/": ["review", "page"],
}
POSTS = [
    "/api/nominations/",
    "/api/decisions/",
    "/api/decisions/decline/",
    "/api/upward-submissions/",
    "/api/reports/",
    "/api/complaints/",
    "/api/delegations/",
    "/api/award-history/",
    "/api/commitments/register/",
    "/api/council-sessions/",
    "/api/target-results/",
    "/api/reviews/",
    "/api/rating-imports/preview/",
    "/api/rating-imports/commit/",
]
FIELDS = [
    "nomination", "nominations", "campaign", "award", "nominee_person", "nominee_unit", "summary", "signer",
    "number", "date", "comment", "text", "person", "year", "decision_number", "delegate", "starts_at",
    "ends_at", "members", "chair", "name", "unit_awards", "people", "addressee", "recipients", "initiatives",
    "target", "period", "value", "delivered_on", "reason", "kind", "rating", "unit", "file",
]  # fmt: skip

json_scalar = st.one_of(
    odd_value,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=3),
    max_leaves=8,
)


def _is_json(response: Any) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


@pytest.mark.parametrize("username", ["office1", "head-tkth"])
def test_no_query_value_makes_an_api_list_fail(demo: None, username: str) -> None:
    client = api(username)

    @settings(RUN, max_examples=MAX_EXAMPLES)
    @given(path=st.sampled_from(sorted(LISTS)), data=st.data())
    def run(path: str, data: Any) -> None:
        query = data.draw(st.dictionaries(st.sampled_from(LISTS[path]), odd_value, min_size=1, max_size=3))
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)
        assert response.status_code < 400 or _is_json(response), (path, query, response.content[:200])

    run()


@pytest.mark.parametrize("username", ["office1", "head-tkth"])
def test_no_json_body_makes_an_api_write_fail(demo: None, username: str) -> None:
    client = api(username)

    @settings(RUN, max_examples=MAX_EXAMPLES)
    @given(path=st.sampled_from(POSTS), body=st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=6))
    def run(path: str, body: dict[str, Any]) -> None:
        response = client.post(path, data=json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (path, body)
        assert response.status_code < 400 or _is_json(response), (path, body, response.content[:200])

    run()


def target_actions() -> list[str]:
    """The targets' detail actions, on a real id and on ids that name nothing."""
    from nominations.models import Review, TargetResult, UnitRating

    result = TargetResult.objects.filter(unit__code="tkth").order_by("pk").first()
    assert result is not None
    ids = [str(result.pk), "²", "١٢", str(2**64)]
    review = Review.objects.order_by("pk").first()
    rating = UnitRating.objects.order_by("pk").first()
    paths = [f"/api/target-results/{i}/{name}/" for i in ids for name in ("return", "confirm", "reopen")]
    paths += [f"/api/reviews/{review.pk if review else 1}/propose/"]
    paths += [f"/api/unit-ratings/{rating.pk if rating else 1}/confirm/"]
    return paths


@pytest.mark.parametrize("username", ["office1", "head-tkth"])
def test_no_json_body_makes_a_target_action_fail(demo: None, username: str) -> None:
    client = api(username)
    paths = target_actions()

    @settings(RUN, max_examples=MAX_EXAMPLES)
    @given(path=st.sampled_from(paths), body=st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=4))
    def run(path: str, body: dict[str, Any]) -> None:
        response = client.post(path, data=json.dumps(body), content_type="application/json")
        assert response.status_code < 500, (path, body)
        assert response.status_code < 400 or _is_json(response), (path, body, response.content[:200])

    run()
