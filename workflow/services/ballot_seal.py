"""Sealing a secret choice while the session is open (docs/voting.md, "Why the choice is sealed").

Everything a ballot's transaction writes shares that transaction's id on PostgreSQL (the `xmin` of
each row) and lands next to each other on disk in both databases. So any choice-dependent value
written in plain text in the same transaction as "member X voted on item N" — an anonymous row, or
an incremented counter — is linkable to X by anyone reading the tables' system columns, the
pages (pageinspect) or the write-ahead log. The choice is therefore written only as a ciphertext
under a key that is *not* in the database, and read back only when the session closes, in the
transaction that writes the aggregate count and deletes the ciphertexts.

AES-256-GCM, a random 96-bit nonce per ballot, and the session and item as associated data (a sealed
ballot cannot be moved to another item). Every choice is one byte, so every ciphertext has the same
length. The key is derived from `BALLOT_SEAL_KEY`, read from the environment (config/settings.py:
required with DEBUG off; SECRET_KEY in development). `BALLOT_SEAL_KEY_FALLBACKS` are tried when
opening, so rotating the key does not lose an open session (docs/voting.md, "Rotating the seal key").
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_CODES = {"yes": b"Y", "no": b"N", "abstain": b"A"}
_CHOICES = {code: choice for choice, code in _CODES.items()}
_CONTEXT = b"thidua.council.ballot-seal.v1"
NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed ballot that does not open with the server's key (altered, moved, or a lost key)."""


def _secrets() -> list[str]:
    return [settings.BALLOT_SEAL_KEY, *settings.BALLOT_SEAL_KEY_FALLBACKS]


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _CONTEXT, hashlib.sha256).digest()


def _aad(session_id: int, nomination_id: int) -> bytes:
    return f"session:{session_id};nomination:{nomination_id}".encode()


def seal(choice: str, *, session_id: int, nomination_id: int) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(_secrets()[0])).encrypt(nonce, _CODES[choice], _aad(session_id, nomination_id))
    return nonce + sealed


def unseal(blob: bytes | memoryview, *, session_id: int, nomination_id: int) -> str:
    blob = bytes(blob)
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    for secret in _secrets():
        try:
            code = AESGCM(_key(secret)).decrypt(nonce, sealed, _aad(session_id, nomination_id))
        except InvalidTag:
            continue
        if code in _CHOICES:
            return _CHOICES[code]
    raise SealBroken("a sealed ballot does not open with the server's key")
