"""What every template → preview → commit import shares on the service side.

The sheet is read by `nominations.imports.sheet` (headers, row errors by row and column, NFC, formulas,
merged cells, limits, dates); here a file that cannot be imported as a whole becomes a 400 on its `file`
field, and a sheet with wrong rows becomes `ImportRejected` (400 with the rows), the same for the unit's
list, the award history and the yearly ratings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from nominations.imports.sheet import (
    MAX_BYTES,
    MAX_ROWS,
    RowErrors,
    Sheet,
    SheetError,
    check_size,
    read_sheet,
)
from workflow.base.errors import InvalidInput, TransitionRefused


class ImportRejected(TransitionRefused):
    """Some rows are wrong: `rows` lists them (spreadsheet row, column, messages); nothing was written."""

    status = 400
    code = "import_rejected"

    def __init__(self, message: str, *, rows: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.rows = rows


def sheet_read(
    data: bytes,
    *,
    headers: Sequence[str],
    required_headers: Sequence[str] | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> Sheet:
    """The sheet's rows, or `InvalidInput` on `file` saying why the file as a whole cannot be imported."""
    try:
        return read_sheet(
            data, headers=headers, required_headers=required_headers, max_rows=max_rows, max_bytes=max_bytes
        )
    except SheetError as error:
        raise InvalidInput(error.message, field="file") from None


def upload_bytes(upload: UploadedFile, *, max_bytes: int = MAX_BYTES) -> bytes:
    """An uploaded sheet's bytes, refused (400 on `file`) before reading when it is over the limit."""
    try:
        check_size(upload.size or 0, max_bytes)
    except SheetError as error:
        raise InvalidInput(error.message, field="file") from None
    upload.seek(0)
    return bytes(upload.read())


def rows_rejected(errors: RowErrors) -> ImportRejected:
    """The refusal of a commit whose preview found wrong rows: nothing is written."""
    return ImportRejected(
        _("%(n)s dòng có lỗi: chưa nhập dòng nào.") % {"n": errors.count}, rows=errors.as_list()
    )
