"""Helpers of the submission tests: spreadsheets written with openpyxl, as an office's Excel saves them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from nominations.models import Person, Role, Submission
from tests.builders.core import annual_campaign, person
from workflow.services.submission_import import HEADERS
from workflow.services.submissions import submission_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS, merge: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def row(
    name: str = "",
    award: str = "LDTT",
    rating: str = "htxs",
    *,
    username: str = "",
    unit: str = "",
    summary: str = "Hoàn thành xuất sắc nhiệm vụ năm 2023.",
    initiatives: str = "",
) -> list[Any]:
    return [name, username, unit, award, rating, summary, initiatives]


def submission_of(head: str = "head-tkth") -> Submission:
    return submission_create(actor=person(head), campaign=annual_campaign())


def add_staff(unit_code: str, count: int, *, prefix: str = "Cán bộ thử") -> list[Person]:
    """Extra active staff in a demo unit (a 20-row list needs more people than the demo's three)."""
    unit = person(f"head-{unit_code}").unit
    made = []
    for i in range(1, count + 1):
        p, _created = Person.objects.get_or_create(
            username=f"extra-{unit_code}-{i}",
            defaults={"full_name": f"{prefix} {i:02d}", "unit": unit, "is_active": True},
        )
        made.append(p)
    return made


__all__ = ["Role"]
