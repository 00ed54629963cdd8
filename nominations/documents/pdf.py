"""PDF from the Word file, by LibreOffice headless (Debian package `libreoffice-writer-nogui`).

LibreOffice is the maintained converter available here; its fonts come from Debian too
(`fonts-liberation`: Liberation Serif has the metrics of Times New Roman and the Vietnamese letters).
Each conversion uses its own throw-away LibreOffice profile, so concurrent requests never share one.
Where `soffice` is not installed the PDF is simply not offered (`pdf_available()` is False).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 120


class PdfUnavailable(Exception):
    """No converter is installed, or it failed: the caller answers 503 / hides the PDF link."""


def soffice() -> str | None:
    configured = getattr(settings, "THIDUA_SOFFICE", None)
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice() is not None


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "van-ban.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(f"LibreOffice could not convert the document: {exc}") from exc
        target = folder / "van-ban.pdf"
        if not target.exists():
            raise PdfUnavailable("LibreOffice produced no PDF")
        return target.read_bytes()


def pdf_to_png(pdf: Path, *, resolution: int) -> list[Path]:
    """The pages of `pdf` as PNG beside it (`<stem>-1.png` …), by pdftoppm (Debian `poppler-utils`): the images
    of the documentation's examples. Old pages of the same stem are removed first; [] without pdftoppm."""
    if shutil.which("pdftoppm") is None:
        return []
    for old in pdf.parent.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(pdf.parent / pdf.stem)],
        check=True,
        timeout=TIMEOUT_SECONDS,
    )
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
