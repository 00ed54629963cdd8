from __future__ import annotations

from tests.api.conftest import _media_in_tmp, api  # the API's clients and media in tmp, shared

__all__ = ["_media_in_tmp", "api"]
