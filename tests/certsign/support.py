"""Helpers of the certificate and signature tests: awards in force through the real services, PDF reading."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from nominations.models import Decision
from tests.builders import core as builders
from tests.builders.decisions import DAY, proposed
from workflow.services import decisions as services


def api(username: str | None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(builders.person(username))
    return client


def issued_decision(*, number: str = "20/QĐ-CTK", signer: str = "director") -> Decision:
    """LĐTT and CSTĐCS of one person, a TTLĐTT and a giấy khen, in one decision of the Director."""
    session = builders.session()
    batch = [
        proposed(nominee="staff-tkth-1", session=session),
        proposed(award="CSTDCS", nominee="staff-tkth-1", session=session),
        proposed(award="TTLDTT", unit_nominee=True, head="head-tkxh", rating="htt", session=session),
        proposed(award="GIAY_KHEN", nominee="staff-tkkt-2", session=session),
    ]
    return services.decision_issue(
        nominations=batch,
        actor=builders.person("director"),
        number=number,
        date=DAY,
        signer=builders.person(signer),
    )


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def pdf_words(content: bytes) -> list[tuple[float, float, str]]:
    """(xMin, yMin, word) of every word, in points from the top-left corner."""
    import html
    import re

    done = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True)
    pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>')
    return [(float(x), float(y), html.unescape(w)) for x, y, w in pattern.findall(done.stdout.decode())]


def pdf_pages(content: bytes) -> int:
    done = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    line = next(x for x in done.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def qr_payloads(content: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """The QR codes on a page, decoded from its picture (pdftoppm, then zxing-cpp)."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    done = subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            "150",
            "-png",
            "-",
        ],
        input=content,
        capture_output=True,
        check=True,
    )
    image = Image.open(io.BytesIO(done.stdout))
    return [result.text for result in zxingcpp.read_barcodes(image)]


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
