"""python manage.py build_certificate_examples [--output docs/examples] — certificates and a signed decision.

Runs the demo story of `build_examples` (the real services, inside a transaction rolled back at the end,
uploads in a temporary folder) with fresh DEMO signing keys in a temporary folder, then writes:
giấy khen and a certificate of a title on blank paper, the same on pre-printed paper, the calibration
sheet (PDF + PNG); the decision signed by the Director and the organisation (PDF), a PNG of its signature
block, and its signature panel as poppler's `pdfsig` and our own verification report it (text / JSON).
Run it on a database without nominations (e.g. a fresh SQLite file after `migrate`).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from nominations import documents
from nominations.models import Decision, Nomination
from workflow.base.errors import TransitionRefused
from workflow.documents import signing
from workflow.management.commands import build_examples
from workflow.services import certificates
from workflow.services.signatures import document_status


class Command(build_examples.Command):
    """Same options as build_examples (--output, --resolution), same story; other documents."""

    help = "Tạo giấy khen mẫu (giấy trắng, phôi in sẵn) và quyết định đã ký số mẫu, không để lại dữ liệu nào."

    def handle(self, *args: Any, output: str, resolution: int, **options: Any) -> None:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        self.resolution = resolution
        with (
            tempfile.TemporaryDirectory(prefix="thidua-examples-") as media,
            tempfile.TemporaryDirectory(prefix="thidua-demo-keys-") as keys,
            tempfile.TemporaryDirectory(prefix="thidua-story-") as story,
            override_settings(MEDIA_ROOT=media, THIDUA_SIGNING_KEYS_DIR=keys),
            transaction.atomic(),
        ):
            call_command("loaddemo", stdout=io.StringIO())
            if Nomination.objects.exists():
                raise CommandError("Cơ sở dữ liệu đã có hồ sơ đề nghị: hãy chạy trên một cơ sở dữ liệu mới.")
            try:
                build_examples.Command(stdout=io.StringIO())._story(Path(story))
            except TransitionRefused as exc:
                raise CommandError(f"Không dựng được dữ liệu mẫu: {exc}") from exc
            self._certificates(folder)
            self._signed_decision(folder)
            transaction.set_rollback(True)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi giấy khen và quyết định đã ký số mẫu vào {folder}/"))

    def _write(self, path: Path, content: bytes) -> None:
        path.write_bytes(content)
        self.stdout.write(f"  {path}")

    def _png(self, pdf: Path, *, page: int = 1, crop: tuple[int, int, int, int] | None = None) -> None:
        if shutil.which("pdftoppm") is None:
            self.stdout.write(self.style.WARNING("pdftoppm (poppler-utils) không có: bỏ qua PNG."))
            return
        command = [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(self.resolution),
            "-f",
            str(page),
            "-l",
            str(page),
        ]
        if crop:
            command += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
        subprocess.run([*command, str(pdf), str(pdf.with_suffix(""))], check=True, timeout=120)
        self.stdout.write(f"  {pdf.with_suffix('.png')}")

    def _certificates(self, folder: Path) -> None:
        decision = Decision.objects.get(number="15/QĐ-CTK")
        items = decision.items.select_related("nomination__award")
        title = items.filter(nomination__award__code="CSTDCS").first()
        commendation = items.filter(
            nomination__award__code="GIAY_KHEN", nomination__nominee_person__isnull=False
        )
        for name, item in (("giay-chung-nhan-cstdcs", title), ("giay-khen", commendation.first())):
            assert item is not None
            blank = folder / f"{name}.pdf"
            self._write(blank, certificates.certificate_pdf(nomination=item.nomination))
            self._png(blank)
            preprinted = folder / f"{name}-phoi-in-san.pdf"
            self._write(preprinted, certificates.certificate_pdf(nomination=item.nomination, preprinted=True))
            self._png(preprinted)
        sheet = folder / "mau-can-chinh.pdf"
        self._write(sheet, certificates.calibration_sheet_pdf())
        self._png(sheet)

    def _signed_decision(self, folder: Path) -> None:
        if not documents.pdf_available():
            self.stdout.write(self.style.WARNING("LibreOffice không có: bỏ qua quyết định đã ký số."))
            return
        decision = Decision.objects.get(number="15/QĐ-CTK")
        pdf = documents.docx_to_pdf(documents.build_decision_docx(decision))
        signed = signing.sign_document_pdf(pdf, document=decision, kind="decision")
        path = folder / "quyet-dinh-da-ky-so.pdf"
        self._write(path, signed)
        placement = signing.find_placement(pdf)
        scale = self.resolution / 72
        _left, bottom, right, top = placement.signer_box
        page_height = 841.89
        crop = (
            int((placement.seal_box[0] - 140) * scale),
            int((page_height - top - 60) * scale),
            int((right - placement.seal_box[0] + 170) * scale),
            int((top - bottom + 130) * scale),
        )
        self._png(path, page=placement.page + 1, crop=crop)
        result = signing.verify_pdf(signed)
        result["document"] = document_status(*result["document"]) if result["document"] else None
        report = json.dumps(result, ensure_ascii=False, indent=2)
        self._write(folder / "quyet-dinh-da-ky-so.kiem-tra.json", (report + "\n").encode())
        if shutil.which("pdfsig"):
            done = subprocess.run(["pdfsig", str(path)], capture_output=True, timeout=60)
            self._write(folder / "quyet-dinh-da-ky-so.pdfsig.txt", done.stdout)
