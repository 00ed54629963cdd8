"""Digital signatures of the office's PDFs (Decree 30/2020): the signer's, then the organisation's (PAdES).

Keys come from the deployment, never from the database: a folder (`THIDUA_SIGNING_KEYS_DIR`) with one
PKCS#12 file per signer (`<username>.p12` + its passphrase in `<username>.pass`) and the organisation's
(`organisation.p12`), or a PKCS#11 token (USB token / HSM: `THIDUA_PKCS11_MODULE`, the key and its
certificate labelled with the username). Signing is on when the organisation's key is found; then every
decision and upward submission must have its signer's key at issue time (`ensure_can_sign`, 409).

The visible layout follows Decree 30/2020 Appendix I: the signer's image (blue) in the signature block
between the title and the name, and the organisation's seal (red) over about a third of it, on its left.
The block is found in the PDF LibreOffice made by the words' boxes (`pdftotext -bbox`, poppler-utils).
"""

from __future__ import annotations

import datetime
import html
import io
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from nominations.documents.layout import agency
from nominations.models import Person
from workflow.base.errors import WrongState

log = logging.getLogger(__name__)
KEYWORD_PREFIX = "thidua-document:"
SIGNER_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"
BLUE = (24, 56, 168, 255)
RED = (200, 20, 30, 255)
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")


class SigningUnavailable(WrongState):
    """A signer (or the organisation) has no key configured: nothing is issued."""


# --- keys ------------------------------------------------------------------------------------------------
def keys_dir() -> Path | None:
    folder = getattr(settings, "THIDUA_SIGNING_KEYS_DIR", None)
    return Path(folder) if folder else None


def _p12(name: str) -> tuple[Path, Path] | None:
    folder = keys_dir()
    if folder is None:
        return None
    key, secret = folder / f"{name}.p12", folder / f"{name}.pass"
    return (key, secret) if key.is_file() and secret.is_file() else None


_PKCS11_SESSIONS: dict[tuple[str, str], Any] = {}


def _pkcs11_session(module: str) -> Any:
    """One logged-in session per module and token for the process: PKCS#11 logs in per token, not per
    session, so a second login while a session is open is refused (CKR_USER_ALREADY_LOGGED_IN)."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    token = getattr(settings, "THIDUA_PKCS11_TOKEN", "") or ""
    key = (module, token)
    if key not in _PKCS11_SESSIONS:
        pin_file = getattr(settings, "THIDUA_PKCS11_PIN_FILE", "")
        pin = Path(pin_file).read_text().strip() if pin_file else None
        _PKCS11_SESSIONS[key] = pkcs11.open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token or None), user_pin=pin
        )
    return _PKCS11_SESSIONS[key]


def _pkcs11_signer(label: str) -> signers.Signer | None:
    module = getattr(settings, "THIDUA_PKCS11_MODULE", None)
    if not module:
        return None
    from pyhanko.sign import pkcs11

    try:
        signer = pkcs11.PKCS11Signer(_pkcs11_session(module), key_label=label, cert_label=label)
        signer.signing_cert  # noqa: B018  (fetches the certificate: fails here, not while signing)
    except Exception:  # no such token, key or certificate: the caller reports "no key"
        log.warning("no PKCS#11 key or certificate labelled %s", label, exc_info=True)
        return None
    return signer


def signer_for(name: str) -> signers.Signer | None:
    """The key of a username (or of the organisation), from its PKCS#12 file or the PKCS#11 token."""
    found = _p12(name)
    if found is not None:
        key, secret = found
        loaded = signers.SimpleSigner.load_pkcs12(str(key), passphrase=secret.read_bytes().strip() or None)
        if loaded is not None:
            return loaded
    return _pkcs11_signer(name)


def _has_key(name: str) -> bool:
    if _p12(name) is not None:
        return True
    return getattr(settings, "THIDUA_PKCS11_MODULE", None) is not None and _pkcs11_signer(name) is not None


def signing_enabled() -> bool:
    """Digital signing is on for this deployment when the organisation's key is configured."""
    return _has_key(settings.THIDUA_SIGNING_ORGANISATION)


def ensure_can_sign(signer: Person) -> None:
    """Refuse (409) before anything is issued if signing is on and the signer has no key."""
    if signing_enabled() and not _has_key(signer.username):
        raise SigningUnavailable(
            _(
                "Người ký %(name)s chưa có khóa ký số trên máy chủ này: văn bản chưa được ban hành. Quản trị "
                "hệ thống cần cài khóa (tệp PKCS#12 hoặc USB token) cho tài khoản %(username)s."
            )
            % {"name": signer.full_name, "username": signer.username}
        )


def trust_roots() -> list[asn1_x509.Certificate]:
    """The CA certificates this deployment trusts for its own signatures: `*.ca.pem` / `ca.pem` in the folder."""
    folder = keys_dir()
    roots: list[asn1_x509.Certificate] = []
    if folder is None or not folder.is_dir():
        return roots
    from pyhanko.keys import load_certs_from_pemder

    for path in sorted([*folder.glob("*.ca.pem"), *folder.glob("ca.pem")]):
        roots.extend(load_certs_from_pemder([str(path)]))
    return roots


# --- where to put the visible signatures -----------------------------------------------------------------
@dataclass(frozen=True)
class Placement:
    page: int
    signer_box: tuple[float, float, float, float]
    seal_box: tuple[float, float, float, float]


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def find_placement(pdf: bytes) -> Placement:
    """The signature block: the right-hand words of the page holding "Nơi nhận:" (title above, name last)."""
    program = shutil.which("pdftotext")
    pages: list[tuple[float, float, list[tuple[float, float, float, float, str]]]] = []
    if program:
        try:
            done = subprocess.run(
                [program, "-bbox", "-", "-"], input=pdf, capture_output=True, timeout=60, check=True
            )
            text = done.stdout.decode("utf-8", "replace")
        except (subprocess.SubprocessError, OSError):
            text = ""
        for chunk in text.split("</page>"):
            head = _PAGE.search(chunk)
            if head:
                words = [
                    (float(a), float(b), float(c), float(d), html.unescape(w))
                    for a, b, c, d, w in _WORD.findall(chunk)
                ]
                pages.append((float(head.group(1)), float(head.group(2)), words))
    for index, (width, height, words) in enumerate(pages):
        starts = [w for w in words if w[4] == "Nơi" and w[0] < width / 2]
        if not starts:
            continue
        top = starts[0][1] - 2
        right = [w for w in words if w[0] > width / 2 and w[1] >= top]
        if not right:
            continue
        name_top = max(w[1] for w in right)
        above = [w for w in right if w[1] < name_top - 1]
        title_bottom = max((w[3] for w in above), default=name_top - 80)
        name_words = [w for w in right if w[1] >= name_top - 1]
        centre = (min(w[0] for w in name_words) + max(w[2] for w in name_words)) / 2
        gap_top, gap_bottom = title_bottom + 2, name_top - 2
        sig_w = 150.0
        signer_box = (centre - sig_w / 2, height - gap_bottom, centre + sig_w / 2, height - gap_top)
        size = min(gap_bottom - gap_top + 16, 96.0)
        seal_right = signer_box[0] + sig_w / 3
        middle = (signer_box[1] + signer_box[3]) / 2
        seal_box = (seal_right - size, middle - size / 2, seal_right, middle + size / 2)
        return Placement(page=index, signer_box=signer_box, seal_box=seal_box)
    # No block found (another layout): the lower right of the last page.
    last = max(len(pages) - 1, 0)
    return Placement(page=last, signer_box=(360, 90, 510, 160), seal_box=(320, 77, 420, 173))


# --- the images ------------------------------------------------------------------------------------------
def _font(path: Path, size: int) -> Any:
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default()


def signer_image(name: str, signed_at: datetime.datetime, username: str) -> Image.Image:
    """The signer's image (blue): their own `<username>.png` if the deployment has one, else their name."""
    folder = keys_dir()
    custom = folder / f"{username}.png" if folder else None
    if custom is not None and custom.is_file():
        return Image.open(custom).convert("RGBA")
    image = Image.new("RGBA", (900, 420), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.text((450, 150), name, fill=BLUE, font=_font(FONT, 96), anchor="mm")
    draw.line((140, 225, 760, 205), fill=BLUE, width=5)
    draw.text(
        (450, 300), _("Ký số bởi: %(name)s") % {"name": name}, fill=BLUE, font=_font(FONT, 40), anchor="mm"
    )
    local = timezone.localtime(signed_at)
    draw.text((450, 360), f"{local:%d/%m/%Y %H:%M:%S %z}", fill=BLUE, font=_font(FONT, 40), anchor="mm")
    return image


def seal_image(organisation: str, demo: bool) -> Image.Image:
    """The organisation's seal (red): `organisation.png` of the deployment, else a drawn round seal."""
    folder = keys_dir()
    custom = folder / f"{settings.THIDUA_SIGNING_ORGANISATION}.png" if folder else None
    if custom is not None and custom.is_file():
        return Image.open(custom).convert("RGBA")
    image = Image.new("RGBA", (600, 600), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 590, 590), outline=RED, width=16)
    draw.ellipse((60, 60, 540, 540), outline=RED, width=6)
    words = organisation.split()
    half = max(len(words) // 2, 1)
    draw.text((300, 230), " ".join(words[:half]), fill=RED, font=_font(FONT_BOLD, 44), anchor="mm")
    draw.text((300, 300), "★", fill=RED, font=_font(FONT_BOLD, 70), anchor="mm")
    draw.text((300, 370), " ".join(words[half:]), fill=RED, font=_font(FONT_BOLD, 44), anchor="mm")
    if demo:
        draw.text((300, 450), "DEMO", fill=RED, font=_font(FONT_BOLD, 56), anchor="mm")
    return image


# --- signing ---------------------------------------------------------------------------------------------
def _sign_once(
    pdf: bytes,
    *,
    signer: signers.Signer,
    field: str,
    page: int,
    box: tuple[float, float, float, float],
    image: Image.Image,
    reason: str,
    keywords: list[str] | None = None,
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if keywords is not None:
        writer.document_meta.keywords = keywords
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            field, on_page=page, box=(round(box[0]), round(box[1]), round(box[2]), round(box[3]))
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field, reason=reason, location=agency().place, subfilter=fields.SigSeedSubFilter.PADES
    )
    style = StaticStampStyle(
        background=PdfImage(image),
        border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins(0, 0, 0, 0)
        ),
    )
    out = io.BytesIO()
    signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


def sign_document_pdf(pdf: bytes, *, document: Any, kind: str) -> bytes:
    """Sign a decision / submission PDF by its signer, then by the organisation; unsigned if signing is off."""
    if not signing_enabled():
        return pdf
    signer_person: Person = document.signer
    personal = signer_for(signer_person.username)
    organisation = signer_for(settings.THIDUA_SIGNING_ORGANISATION)
    if personal is None or organisation is None:
        ensure_can_sign(signer_person)
        raise SigningUnavailable(_("Khóa ký số của cơ quan không mở được: hãy báo quản trị hệ thống."))
    placement = find_placement(pdf)
    now = timezone.now()
    reason = _("Ban hành văn bản số %(number)s") % {"number": document.number}
    once = _sign_once(
        pdf,
        signer=personal,
        field=SIGNER_FIELD,
        page=placement.page,
        box=placement.signer_box,
        image=signer_image(signer_person.full_name, now, signer_person.username),
        reason=reason,
        keywords=[f"{KEYWORD_PREFIX}{kind}:{document.pk}", f"{kind} {document.number}"],
    )
    organisation_name = agency().name
    certificate = organisation.signing_cert
    demo = certificate is not None and "DEMO" in str(certificate.subject.human_friendly)
    return _sign_once(
        once,
        signer=organisation,
        field=ORGANISATION_FIELD,
        page=placement.page,
        box=placement.seal_box,
        image=seal_image(organisation_name, demo),
        reason=reason,
    )


# --- verification ----------------------------------------------------------------------------------------
class NotAPdf(ValueError):
    pass


def _name_parts(certificate: Any) -> tuple[str, str]:
    subject = certificate.subject.native
    return str(subject.get("common_name", "")), str(subject.get("organization_name", ""))


def document_reference(reader: PdfFileReader) -> tuple[str, int] | None:
    """(kind, pk) from the keywords the first signature's revision wrote, or None."""
    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", ""))
    except Exception:  # a PDF without an info dictionary
        return None
    match = re.search(re.escape(KEYWORD_PREFIX) + r"(decision|submission):(\d+)", keywords)
    return (match.group(1), int(match.group(2))) if match else None


def verify_pdf(data: bytes) -> dict[str, Any]:
    """Whether a PDF is signed, whether every signature still covers what it signed, and by whom."""
    if not data.startswith(b"%PDF-"):
        raise NotAPdf(_("Tệp không phải PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        # Unreadable structure: if it carried signatures, they no longer match what was signed.
        signed = b"/ByteRange" in data
        return {"signed": signed, "intact": False, "trusted": False, "signers": [], "document": None}
    if not embedded:
        return {"signed": False, "intact": False, "trusted": False, "signers": [], "document": None}
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    result: list[dict[str, Any]] = []
    intact, trusted = True, True
    for index, signature in enumerate(embedded):
        try:
            status = validate_pdf_signature(signature, context)
        except Exception:
            intact = False
            continue
        if status.signing_cert is None:
            intact = False
            continue
        name, organisation = _name_parts(status.signing_cert)
        when = status.signer_reported_dt
        result.append(
            {"name": name, "organisation": organisation, "signed_at": when.isoformat() if when else None}
        )
        intact = intact and bool(status.intact and status.valid)
        trusted = trusted and bool(status.trusted)
        last = index == len(embedded) - 1
        if last and (status.coverage is None or status.coverage.name != "ENTIRE_FILE"):
            intact = False  # something was appended after the last signature
    reference = document_reference(reader) if intact and trusted else None
    return {
        "signed": True,
        "intact": intact,
        "trusted": trusted,
        "signers": result,
        "document": reference,
    }
