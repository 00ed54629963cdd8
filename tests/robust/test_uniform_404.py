"""An id the caller may not see answers exactly like an id that does not exist, on every entry point that
takes one (API.md; issue #15): same status, same body — nothing tells a unit head what exists elsewhere."""

from __future__ import annotations

from typing import Any

import pytest

from nominations.models import State
from tests.builders import core as builders
from tests.robust.test_odd_input import api, page

pytestmark = pytest.mark.django_db

MISSING = 2**62


@pytest.fixture
def hidden(demo: None) -> dict[str, int]:
    """Objects of another unit (tkkt), invisible to the head of tkth."""
    other = builders.to_state(builders.draft(nominee="staff-tkkt-1"), State.SUBMITTED)
    return {"nomination": other.pk, "file": other.files.first().pk}  # type: ignore[union-attr]


API_CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/api/nominations/{nomination}/", None),
    ("get", "/api/nominations/{nomination}/history/", None),
    ("get", "/api/nominations/{nomination}/attachments/{file}/", None),
    ("patch", "/api/nominations/{nomination}/", {"summary": "Sửa"}),
    ("post", "/api/nominations/{nomination}/transitions/withdraw/", {"comment": "x"}),
    ("post", "/api/decisions/decline/", {"nomination": "{nomination}", "comment": "x"}),
    ("post", "/api/complaints/", {"nomination": "{nomination}", "text": "Khiếu nại"}),
]


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body"), API_CALLS)
def test_an_invisible_id_reads_like_a_missing_one_over_the_api(
    hidden: dict[str, int], method: str, path: str, body: dict[str, Any] | None
) -> None:
    client = api("head-tkth")
    missing = {key: MISSING for key in hidden}
    answers = []
    for ids in (hidden, missing):
        response = getattr(client, method)(_fill(path, ids), _fill(body, ids), format="json")
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404


PAGE_CALLS = [
    ("get", "/ho-so/{nomination}/"),
    ("get", "/ho-so/{nomination}/sua/"),
    ("post", "/ho-so/{nomination}/tai-lieu/"),
    ("get", "/ho-so/{nomination}/tai-lieu/{file}/"),
    ("post", "/ho-so/{nomination}/tai-lieu/{file}/xoa/"),
    ("post", "/ho-so/{nomination}/thao-tac/withdraw/"),
    ("post", "/quyet-dinh/ho-so/{nomination}/khong-khen-thuong/"),
    ("get", "/tham-gia/cong-khai/{nomination}/khieu-nai/"),
]


@pytest.mark.parametrize(("method", "path"), PAGE_CALLS)
def test_an_invisible_id_reads_like_a_missing_one_on_the_pages(
    hidden: dict[str, int], method: str, path: str
) -> None:
    client = page("head-tkth")
    missing = {key: MISSING for key in hidden}
    statuses = [getattr(client, method)(path.format(**ids)).status_code for ids in (hidden, missing)]
    assert statuses[0] == statuses[1]
    assert statuses[0] in (403, 404)  # 403 where the page is for another role whatever the id
