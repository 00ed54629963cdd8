"""The API's JSON parser, with a nesting limit: Python's json module recurses, and a body of 5,000 `[`
ends in a RecursionError (a 500) long before the size limit. The depth is counted on the text first."""

from __future__ import annotations

import io
import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    brackets = BRACKETS.findall(STRINGS.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("Dữ liệu JSON không đúng mã UTF-8.")) from None
        limit = int(settings.JSON_MAX_DEPTH)
        if nesting_depth(text) > limit:
            raise ParseError(_("Dữ liệu JSON lồng quá sâu (tối đa %(n)s cấp).") % {"n": limit})
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except ParseError:
            raise ParseError(_("Dữ liệu không phải JSON hợp lệ.")) from None
