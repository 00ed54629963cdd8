"""python manage.py build_statistics_examples [--output docs/examples] [--year 2023]

The forms of TT 02/2023/TT-BNV filled from the demo data, as .xlsx, and each .xlsx rendered as the
spreadsheet prints it (LibreOffice Calc → PDF → PNG with pdftoppm) for docs/documents.md. The demo is
loaded inside a transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nominations.documents.pdf import TIMEOUT_SECONDS, pdf_to_png, soffice
from nominations.documents.statistics import build_statistics_xlsx, file_stem
from nominations.statistics import FORMS, statistics_table


class Command(BaseCommand):
    help = "Tạo ảnh mẫu các biểu thống kê (Thông tư 02/2023/TT-BNV) từ dữ liệu minh họa, không để lại dữ liệu nào."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/examples", help="Thư mục ghi biểu mẫu.")
        parser.add_argument("--year", type=int, default=2023, help="Năm báo cáo.")
        parser.add_argument("--resolution", type=int, default=80, help="Độ phân giải ảnh PNG (dpi).")

    def handle(self, *args: Any, output: str, year: int, resolution: int, **options: Any) -> None:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        with transaction.atomic():
            call_command("loaddemo", stdout=io.StringIO())
            for code in FORMS:
                table = statistics_table(code=code, year=year)
                path = folder / f"{file_stem(table)}.xlsx"
                path.write_bytes(build_statistics_xlsx(table))
                written.append(path)
            transaction.set_rollback(True)
        for path in written:
            self.stdout.write(f"  {path}")
            self._render(path, resolution)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi biểu mẫu vào {folder}/"))

    def _render(self, xlsx: Path, resolution: int) -> None:
        program = soffice()
        if program is None:
            self.stdout.write(self.style.WARNING("LibreOffice không có: bỏ qua PDF và PNG."))
            return
        pdf = xlsx.with_suffix(".pdf")
        with tempfile.TemporaryDirectory(prefix="thidua-calc-") as tmp:
            profile = (Path(tmp) / "profile").as_uri()
            result = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf:calc_pdf_Export",
                    "--outdir",
                    tmp,
                    str(xlsx),
                ],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
            made = Path(tmp) / pdf.name
            if result.returncode or not made.exists():
                raise CommandError(
                    "LibreOffice Calc không chuyển được bảng tính sang PDF (cần gói libreoffice-calc-nogui): "
                    + result.stderr.decode(errors="replace")
                )
            shutil.copyfile(made, pdf)
        self.stdout.write(f"  {pdf}")
        pages = pdf_to_png(pdf, resolution=resolution)
        if not pages:
            self.stdout.write(self.style.WARNING("pdftoppm (poppler-utils) không có: bỏ qua PNG."))
        for png in pages:
            self.stdout.write(f"  {png}")
