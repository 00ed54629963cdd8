"""Signed checkpoints of the audit chain's head, kept away from the database (docs/decisions.md).

The HMAC chain (workflow/audit/log.py) shows an event edited, removed from the middle or inserted; it
cannot show the *end* of the log going missing: delete the last events and move the head back (or
wipe both) and what remains is a sound, shorter chain. Certificate Transparency's answer (RFC 6962 §3.5,
RFC 9162 §4.10) is the signed tree head: the log signs (size, root hash, timestamp) and the signed heads
are sent away, so a later log that is not an extension of one of them is caught. Here the log is a
hash chain rather than a Merkle tree, so "extension" is simply: the event at position `count` still
carries the sealed hash (each hash covers every event before it).

A checkpoint is signed with Ed25519 (`cryptography`) by a key that is not the chain key and not in the
database; verifying needs only the public key. The key id (like RFC 6962's LogID) is the SHA-256 of
the public key's DER encoding, shortened; keeping retired public keys lets old checkpoints verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from workflow.audit import log as audit
from workflow.models import AuditChainHead, AuditEvent

FORMAT = "thidua-audit-checkpoint/1"


class CheckpointError(Exception):
    """A checkpoint that cannot be made or read (missing key, unreadable or malformed file)."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    count: int
    hash: str
    time: str
    key_id: str
    signature: str = ""

    def signed_text(self) -> bytes:
        """The exact bytes signed: one field per line, like a C2SP checkpoint's note body."""
        return f"{FORMAT}\n{self.origin}\n{self.count}\n{self.hash}\n{self.time}\n{self.key_id}\n".encode()

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "origin": self.origin,
            "count": self.count,
            "hash": self.hash,
            "time": self.time,
            "key_id": self.key_id,
            "signature": self.signature,
        }
        return json.dumps(body, indent=2) + "\n"


# --- keys ------------------------------------------------------------------------------------------------
def key_id(public_key: Ed25519PublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def generate_key_pair(private_path: Path, public_path: Path) -> str:
    """Write a new Ed25519 key pair (the private key readable by its owner only); return its key id."""
    private_key = Ed25519PrivateKey.generate()
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(private_pem)
    public_path.write_bytes(public_pem)
    return key_id(private_key.public_key())


def load_private_key(path: str) -> Ed25519PrivateKey:
    if not path:
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_SIGNING_KEY is not set: the path of the Ed25519 private key (PEM) that signs "
            "checkpoints (make one with `manage.py audit_checkpoint_keygen`)."
        )
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"AUDIT_CHECKPOINT_SIGNING_KEY={path!r} cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"AUDIT_CHECKPOINT_SIGNING_KEY={path!r} is not an Ed25519 private key.")
    return key


def load_public_keys(paths: list[str], *, source: str) -> dict[str, Ed25519PublicKey]:
    """The verifying keys by key id (`source` names where the paths came from, for the error)."""
    keys: dict[str, Ed25519PublicKey] = {}
    for path in paths:
        try:
            key = serialization.load_pem_public_key(Path(path).read_bytes())
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"{source}: the public key {path!r} cannot be read: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured(f"{source}: {path!r} is not an Ed25519 public key.")
        keys[key_id(key)] = key
    return keys


# --- writing -------------------------------------------------------------------------------------------
def make(private_key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the current head, after checking that the chain up to it is sound (never seal a tampered log).

    Events waiting for their place are chained first, so the checkpoint covers every committed event.
    """
    audit.seal_pending()
    head = AuditChainHead.objects.filter(pk=1).first()
    count, head_hash = (head.seq, head.hash) if head else (0, audit.GENESIS)
    result = audit.verify()
    if result.first_break is not None:
        raise CheckpointError(f"the audit chain is broken, no checkpoint written: {result.first_break}")
    unsigned = Checkpoint(
        origin=settings.AUDIT_LOG_ORIGIN,
        count=count,
        hash=head_hash,
        time=timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        key_id=key_id(private_key.public_key()),
    )
    signature = base64.b64encode(private_key.sign(unsigned.signed_text())).decode()
    return Checkpoint(**{**unsigned.__dict__, "signature": signature})


def write(checkpoint: Checkpoint, output: Path) -> None:
    """Write atomically (a reader never sees half a checkpoint)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".checkpoint-")
    with os.fdopen(handle, "w") as out:
        out.write(checkpoint.to_json())
    os.chmod(temporary, 0o644)
    os.replace(temporary, output)


# --- reading and verifying ----------------------------------------------------------------------------
def read(path: Path) -> Checkpoint:
    try:
        body: Any = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CheckpointError(f"cannot be read: {exc}") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise CheckpointError(f"is not a {FORMAT} checkpoint")
    try:
        checkpoint = Checkpoint(
            origin=str(body["origin"]),
            count=int(body["count"]),
            hash=str(body["hash"]),
            time=str(body["time"]),
            key_id=str(body["key_id"]),
            signature=str(body["signature"]),
        )
        datetime.fromisoformat(checkpoint.time.replace("Z", "+00:00"))
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"is malformed ({exc})") from None
    if isinstance(body["count"], bool) or checkpoint.count < 0:
        raise CheckpointError("is malformed (count)")
    return checkpoint


def problem(checkpoint: Checkpoint, public_keys: dict[str, Ed25519PublicKey]) -> str | None:
    """Why the log no longer holds what `checkpoint` sealed (or the checkpoint is not genuine); None if it does."""
    public_key = public_keys.get(checkpoint.key_id)
    if public_key is None:
        return f"signed by an unknown key (key id {checkpoint.key_id}): not one of the configured public keys"
    try:
        public_key.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.signed_text())
    except (InvalidSignature, binascii.Error, ValueError):
        return f"the signature is not valid for key {checkpoint.key_id}: the checkpoint is forged or altered"
    if checkpoint.origin != settings.AUDIT_LOG_ORIGIN:
        return (
            f"is a checkpoint of another log ({checkpoint.origin!r}, this is {settings.AUDIT_LOG_ORIGIN!r})"
        )
    if checkpoint.count == 0:
        return None
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    sealed = AuditEvent.objects.filter(seq=checkpoint.count).values_list("hash", flat=True).first()
    held = AuditEvent.objects.count()
    if sealed is None:
        return (
            f"sealed {checkpoint.count} events at {checkpoint.time}; the log now ends at "
            f"#{min(held, head_seq)} (head #{head_seq}): events were removed from the end or the log was wiped"
        )
    if head_seq < checkpoint.count:
        return f"sealed {checkpoint.count} events at {checkpoint.time}; the chain head was rewound to #{head_seq}"
    if sealed != checkpoint.hash:
        return (
            f"sealed event #{checkpoint.count} with hash {checkpoint.hash[:16]}…; the log now holds "
            f"{sealed[:16]}… there: events up to #{checkpoint.count} were rewritten, reordered or inserted"
        )
    return None
