"""A DEMO certificate authority and DEMO signing keys (Director, Deputy, the organisation) — never for real use.

Real signatures come from the government CA (Ban Cơ yếu Chính phủ) on USB tokens; these keys only let the
demo show signed decisions. Every name says so: the CA's CN is "DEMO — không dùng thật".
Idempotent: keys already in the folder are kept.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DEMO_CN = "DEMO — không dùng thật"
DEMO_ORGANISATION = "Cục Thống kê tỉnh Ninh Thuận (DEMO)"
DEMO_SIGNERS = (
    ("director", "Trần Minh Quang (DEMO)"),
    ("deputy", "Lê Thị Thu Hà (DEMO)"),
)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_CN),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(folder: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key_file, cert_file = folder / "demo-ca.key.pem", folder / "ca.pem"
    if key_file.exists() and cert_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return x509.load_pem_x509_certificate(cert_file.read_bytes()), key
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    name = _name(DEMO_CN)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue(
    ca: x509.Certificate, ca_key: rsa.RSAPrivateKey, cn: str
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def write_p12(
    folder: Path, name: str, cert: x509.Certificate, key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> None:
    passphrase = secrets.token_urlsafe(18)
    blob = pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca], serialization.BestAvailableEncryption(passphrase.encode())
    )
    (folder / f"{name}.p12").write_bytes(blob)
    (folder / f"{name}.pass").write_text(passphrase + "\n")
    for suffix in (".p12", ".pass"):
        (folder / f"{name}{suffix}").chmod(0o600)


def make_demo_keys(folder: Path) -> list[str]:
    """Make what is missing; return the names of the keys made."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = make_ca(folder)
    made = []
    wanted = [*DEMO_SIGNERS, (settings.THIDUA_SIGNING_ORGANISATION, DEMO_ORGANISATION)]
    for username, cn in wanted:
        if (folder / f"{username}.p12").exists():
            continue
        cert, key = issue(ca, ca_key, cn)
        write_p12(folder, username, cert, key, ca)
        made.append(username)
    return made


class Command(BaseCommand):
    help = "Tạo CA và khóa ký số MINH HỌA (DEMO — không dùng thật) cho Cục trưởng, Phó Cục trưởng và cơ quan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", help="Thư mục khóa (mặc định THIDUA_SIGNING_KEYS_DIR).")

    def handle(self, *args: Any, folder: str | None = None, **options: Any) -> None:
        target = folder or settings.THIDUA_SIGNING_KEYS_DIR
        if not target:
            self.stdout.write("THIDUA_SIGNING_KEYS_DIR trống: không tạo khóa ký số minh họa.")
            return
        made = make_demo_keys(Path(target))
        if made:
            self.stdout.write(f"Đã tạo khóa ký số DEMO ({', '.join(made)}) trong {target}.")
        else:
            self.stdout.write(f"Khóa ký số DEMO đã có trong {target}.")
