"""Signed decisions (PAdES by the signer and the organisation) and the verification of a signed PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.documents import pdf_available
from nominations.models import Decision, Nomination, State
from tests.builders import core as builders
from tests.builders.decisions import DAY, proposed
from tests.certsign.support import api, body, issued_decision
from workflow.documents import signing
from workflow.management.commands.make_demo_signing_keys import make_demo_keys
from workflow.services import certificates
from workflow.services import decisions as services
from workflow.services import upward_submissions as upward_services

pytestmark = pytest.mark.django_db
needs_soffice = pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="session")
def demo_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-keys")
    make_demo_keys(folder)
    return folder


@pytest.fixture
def keys(settings: Any, tmp_path: Path, demo_keys: Path) -> Path:
    """A copy of the demo keys for this test (a test may remove one)."""
    folder = tmp_path / "keys"
    shutil.copytree(demo_keys, folder)
    settings.THIDUA_SIGNING_KEYS_DIR = str(folder)
    return folder


def verify(content: bytes, name: str = "van-ban.pdf") -> Any:
    return api(None).post(
        "/api/signatures/verify/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def decision_pdf(decision: Decision) -> bytes:
    response = api("office1").get(f"/api/decisions/{decision.pk}/download/pdf/")
    assert response.status_code == 200, response.content[:300]
    return body(response)


@needs_soffice
def test_the_decision_pdf_is_signed_by_its_signer_and_the_organisation_and_verifies_intact(
    demo: None, keys: Path, tmp_path: Path
) -> None:
    decision = issued_decision(number="30/QĐ-CTK")
    content = decision_pdf(decision)

    answer = verify(content)
    assert answer.status_code == 200
    result = answer.json()
    assert result["signed"] is True and result["intact"] is True and result["trusted"] is True
    assert [s["name"] for s in result["signers"]] == [
        "Trần Minh Quang (DEMO)",
        "Cục Thống kê tỉnh Ninh Thuận (DEMO)",
    ]
    assert all(
        s["organisation"] == "Cục Thống kê tỉnh Ninh Thuận (DEMO)" and s["signed_at"]
        for s in result["signers"]
    )
    assert result["document"] == {
        "kind": "decision",
        "number": "30/QĐ-CTK",
        "date": DAY.isoformat(),
        "status": "in_force",
        "revoked_items": 0,
    }
    if shutil.which("pdfsig"):  # what a PDF reader's signature panel says (poppler)
        signed_file = tmp_path / "signed.pdf"
        signed_file.write_bytes(content)
        report = subprocess.run(["pdfsig", str(signed_file)], capture_output=True).stdout.decode()
        assert report.count("Signature is Valid.") == 2
        assert (
            "Signature Field Name: ChuKyNguoiKy" in report and "Signature Field Name: ChuKyCoQuan" in report
        )

    giay_khen = decision.items.get(nomination__award__code="GIAY_KHEN").nomination
    services.decision_revoke(nomination=giay_khen, actor=builders.person("director"), reason="Kê khai sai")
    document = verify(content).json()["document"]
    assert document["status"] == "partly_revoked" and document["revoked_items"] == 1


@needs_soffice
def test_a_decision_wholly_revoked_shows_revoked_on_its_signed_pdf(demo: None, keys: Path) -> None:
    nomination = proposed(nominee="staff-tkkt-1")
    decision = services.decision_issue(
        nominations=[nomination],
        actor=builders.person("director"),
        number="31/QĐ-CTK",
        date=DAY,
        signer=builders.person("deputy"),
    )
    content = decision_pdf(decision)
    assert verify(content).json()["signers"][0]["name"] == "Lê Thị Thu Hà (DEMO)"
    services.decision_revoke(nomination=nomination, actor=builders.person("director"), reason="Hủy")
    assert verify(content).json()["document"]["status"] == "revoked"


@needs_soffice
def test_a_signed_pdf_altered_after_signing_is_not_intact(demo: None, keys: Path) -> None:
    content = decision_pdf(issued_decision(number="32/QĐ-CTK"))
    for position in (2000, len(content) // 2):
        altered = bytearray(content)
        altered[position] = (altered[position] + 1) % 256
        result = verify(bytes(altered)).json()
        assert result["signed"] is True and result["intact"] is False
    appended = verify(content + b"\n%% added after signing\n").json()
    assert appended["intact"] is False


def test_a_signer_without_a_key_is_refused_409_and_nothing_is_issued(demo: None, keys: Path) -> None:
    (keys / "deputy.p12").unlink()
    nomination = proposed(nominee="staff-tkkt-1")
    before = Decision.objects.count()
    response = api("director").post(
        "/api/decisions/",
        {
            "nominations": [nomination.pk],
            "number": "33/QĐ-CTK",
            "date": "2024-01-10",
            "signer": builders.person("deputy").pk,
        },
        format="json",
    )
    assert response.status_code == 409
    assert "khóa ký số" in response.json()["detail"]
    assert Decision.objects.count() == before
    assert Nomination.objects.get(pk=nomination.pk).state == State.PROPOSED
    # The Director still has a key: the same batch is issued when they sign it.
    ok = api("director").post(
        "/api/decisions/",
        {
            "nominations": [nomination.pk],
            "number": "33/QĐ-CTK",
            "date": "2024-01-10",
            "signer": builders.person("director").pk,
        },
        format="json",
    )
    assert ok.status_code == 201


def test_an_upward_submission_needs_its_signers_key_too(demo: None, keys: Path) -> None:
    (keys / "director.p12").unlink()
    forwarded = proposed(award="BANG_KHEN", nominee="staff-tkth-1")
    with pytest.raises(signing.SigningUnavailable):
        upward_services.upward_submission_create(
            nominations=[forwarded],
            actor=builders.person("director"),
            number="06/TTr-CTK",
            date=DAY,
            addressee="ministry",
            signer=builders.person("director"),
        )
    assert Nomination.objects.get(pk=forwarded.pk).state == State.PROPOSED


def test_a_non_pdf_or_a_huge_file_is_400_and_an_unsigned_pdf_is_not_signed(
    demo: None, settings: Any, keys: Path
) -> None:
    not_pdf = verify(b"PK\x03\x04 a zip, not a PDF", "x.pdf")
    assert not_pdf.status_code == 400 and "file" in not_pdf.json()
    assert api(None).post("/api/signatures/verify/", {}, format="multipart").status_code == 400
    decision = issued_decision(number="34/QĐ-CTK")
    unsigned = certificates.certificate_pdf(nomination=decision.items.first().nomination)
    assert verify(unsigned).json() == {
        "signed": False,
        "intact": False,
        "trusted": False,
        "signers": [],
        "document": None,
    }
    settings.THIDUA_VERIFY_MAX_BYTES = 1024
    huge = verify(b"%PDF-1.7\n" + b"0" * 4096)
    assert huge.status_code == 400 and "file" in huge.json()


def test_the_verification_page_shows_the_result_to_anyone(demo: None, keys: Path) -> None:
    from django.test import Client

    page = Client().get("/giay-khen/kiem-tra-chu-ky/")
    assert page.status_code == 200
    refused = Client().post("/giay-khen/kiem-tra-chu-ky/", {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert refused.status_code == 400 and "không phải PDF" in refused.content.decode()
    decision = issued_decision(number="35/QĐ-CTK")
    unsigned = certificates.certificate_pdf(nomination=decision.items.first().nomination)
    shown = Client().post("/giay-khen/kiem-tra-chu-ky/", {"file": SimpleUploadedFile("a.pdf", unsigned)})
    assert shown.status_code == 200 and "không có chữ ký số" in shown.content.decode()


def _softhsm_module() -> str | None:
    for path in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"):
        if Path(path).exists():
            return path
    return None


@needs_soffice
@pytest.mark.skipif(
    shutil.which("softhsm2-util") is None or _softhsm_module() is None, reason="softhsm2 is not installed"
)
def test_a_key_on_a_pkcs11_token_signs_like_a_usb_token(
    demo: None, keys: Path, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pkcs11 import Attribute, CertificateType, ObjectClass

    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", "thidua", "--pin", "1234", "--so-pin", "5678"],
        check=True,
        capture_output=True,
    )
    key, cert, _ = pkcs12.load_key_and_certificates(
        (keys / "deputy.p12").read_bytes(), (keys / "deputy.pass").read_text().strip().encode()
    )
    assert key is not None and cert is not None
    key_file = tmp_path / "deputy.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [
            *util,
            "--import",
            str(key_file),
            "--token",
            "thidua",
            "--label",
            "deputy",
            "--id",
            "01",
            "--pin",
            "1234",
        ],
        check=True,
        capture_output=True,
    )
    token = pkcs11.lib(_softhsm_module()).get_token(token_label="thidua")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "deputy",
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
            }
        )
    (keys / "deputy.p12").unlink()  # the deputy's key is now only on the token
    pin = tmp_path / "pin"
    pin.write_text("1234\n")
    settings.THIDUA_PKCS11_MODULE = _softhsm_module()
    settings.THIDUA_PKCS11_TOKEN = "thidua"
    settings.THIDUA_PKCS11_PIN_FILE = str(pin)

    nomination = proposed(nominee="staff-tkkt-1")
    decision = services.decision_issue(
        nominations=[nomination],
        actor=builders.person("director"),
        number="36/QĐ-CTK",
        date=DAY,
        signer=builders.person("deputy"),
    )
    result = verify(decision_pdf(decision)).json()
    assert result["intact"] is True
    assert [s["name"] for s in result["signers"]] == [
        "Lê Thị Thu Hà (DEMO)",
        "Cục Thống kê tỉnh Ninh Thuận (DEMO)",
    ]


@needs_soffice
def test_an_upward_submission_is_signed_the_same_way_and_its_granted_award_gets_a_certificate(
    demo: None, keys: Path
) -> None:
    from django.test import Client

    forwarded = proposed(award="BANG_KHEN", nominee="staff-tkth-1")
    submission = upward_services.upward_submission_create(
        nominations=[forwarded],
        actor=builders.person("director"),
        number="07/TTr-CTK",
        date=DAY,
        addressee="ministry",
        signer=builders.person("director"),
    )
    response = api("office1").get(f"/api/upward-submissions/{submission.pk}/download/pdf/")
    assert response.status_code == 200
    result = verify(body(response)).json()
    assert result["intact"] is True and len(result["signers"]) == 2
    assert result["document"]["kind"] == "submission" and result["document"]["number"] == "07/TTr-CTK"

    upward_services.upward_outcome_record(
        nomination=forwarded,
        actor=builders.person("office1"),
        granted=True,
        decision_number="215/QĐ-BKHĐT",
        decision_date="2024-02-28",
    )
    link = api("office1").get(f"/api/nominations/{forwarded.pk}/").json()["certificate"]
    code = link["verification_url"].rstrip("/").rsplit("/", 1)[-1]
    facts = Client().get(f"/giay-khen/xac-minh/{code}/", HTTP_ACCEPT="application/json").json()
    assert facts["decision_number"] == "215/QĐ-BKHĐT" and facts["decision_date"] == "2024-02-28"
    assert facts["issuer"] == "Tổng cục Thống kê" and facts["status"] == "valid"
