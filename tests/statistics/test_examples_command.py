"""manage.py build_statistics_examples writes the three forms (and their images) where it is told, and leaves
the database as it was."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from nominations.models import AwardRecord, Campaign


@pytest.mark.django_db
def test_the_examples_command_writes_the_forms_of_2023_and_rolls_the_demo_back(tmp_path: Path) -> None:
    before = (Campaign.objects.count(), AwardRecord.objects.count())
    out = io.StringIO()
    call_command("build_statistics_examples", "--output", str(tmp_path), "--resolution", "30", stdout=out)
    for code in ("0601", "0602", "0603"):
        sheet = load_workbook(tmp_path / f"bieu-{code}-n-2023.xlsx").active
        assert sheet is not None and sheet["A1"].value == f"Biểu số: {code}.N/BNV-TĐKT"
    if "bỏ qua PDF" not in out.getvalue():  # LibreOffice present: each form also as PDF and PNG
        assert sorted(p.name for p in tmp_path.glob("*.png")) == [
            "bieu-0601-n-2023-1.png",
            "bieu-0602-n-2023-1.png",
            "bieu-0603-n-2023-1.png",
        ]
    assert (Campaign.objects.count(), AwardRecord.objects.count()) == before
