"""Reading configuration from the environment, strictly.

django-environ parses values leniently (``DEBUG=maybe`` reads as False, an unknown database scheme as
an empty dict). A misread setting in a public agency's system is worse than a refusal to start, so
every value goes through a parser here that raises ``ImproperlyConfigured`` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# (robust-config) What a secret must look like. A key copied from .env.example or the docs, typed by
# hand, or too short to resist guessing is refused: a guessable AUDIT_CHAIN_KEY lets anyone re-seal
# an edited audit chain, a guessable BALLOT_SEAL_KEY opens the ballots of an open session.
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 10
PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "replace_me",
    "placeholder",
    "generate",
    "example",
    "your-",
    "insecure",
    "<",
    ">",
)
GENERATE_HINT = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


def secret_problem(value: str) -> str | None:
    """Why `value` cannot be a secret key, or None if it can."""
    lowered = value.lower()
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return "is a placeholder, not a secret"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is {len(value)} characters long; at least {MIN_SECRET_LENGTH} are needed"
    if len(set(value)) < MIN_SECRET_DISTINCT:
        return f"has fewer than {MIN_SECRET_DISTINCT} distinct characters: it is not random"
    return None


class StrictEnv:
    def __init__(self, environ_map: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if environ_map is None else environ_map

    def text(self, name: str, default: str) -> str:
        return self._env.get(name, default)

    def secret(self, name: str, *, development_default: str | None) -> str:
        """A secret key: empty counts as unset; unset takes `development_default`, refused when it is None."""
        raw = self._env.get(name, "").strip()
        if not raw:
            if development_default is None:
                raise ImproperlyConfigured(
                    f"{name} is not set (an empty value counts as unset) and DEBUG is off: {GENERATE_HINT}."
                )
            return development_default
        problem = secret_problem(raw)
        if problem is not None:
            raise ImproperlyConfigured(f"{name} {problem}: {GENERATE_HINT}.")
        return raw

    def secrets(self, name: str) -> list[str]:
        """Earlier keys kept to open what they sealed (comma-separated), each held to the same rules."""
        values = self.items(name, [])
        for position, value in enumerate(values, start=1):
            problem = secret_problem(value)
            if problem is not None:
                raise ImproperlyConfigured(f"{name}: value {position} {problem}.")
        return values

    def boolean(self, name: str, default: bool) -> bool:
        raw = self._env.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a boolean: use one of true/false, 1/0, yes/no, on/off."
        )

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        raw = self._env.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
        return value

    def items(self, name: str, default: list[str]) -> list[str]:
        raw = self._env.get(name)
        if raw is None:
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def database(self, name: str, default: str) -> dict[str, Any]:
        raw = self._env.get(name, default)
        scheme = raw.split("://", 1)[0] if "://" in raw else ""
        if scheme not in {"sqlite", "postgres", "postgresql", "pgsql", "psql"}:
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a supported database URL: use sqlite:///path or "
                "postgres://user:password@host:port/name."
            )
        config = environ.Env.db_url_config(raw)
        if scheme != "sqlite" and not config.get("NAME"):
            raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
        return config

    def email(self, name: str, default: str) -> dict[str, Any]:
        raw = self._env.get(name, default)
        try:
            return environ.Env.email_url_config(raw)
        except Exception as exc:  # django-environ raises several types for a malformed URL
            raise ImproperlyConfigured(f"{name}={raw!r} is not a valid email URL: {exc}") from None
