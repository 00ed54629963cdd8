from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from secrets import token_urlsafe

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import StrictEnv

ROOT = Path(__file__).resolve().parent.parent


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    secrets = {"SECRET_KEY", "AUDIT_CHAIN_KEY", "BALLOT_SEAL_KEY", "BALLOT_SEAL_KEY_FALLBACKS"}
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", *secrets}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
            " django.setup(); print('started')",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_secret_key_refuses_to_run_without_debug() -> None:
    result = _start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    keys = {name: token_urlsafe(48) for name in ("SECRET_KEY", "AUDIT_CHAIN_KEY", "BALLOT_SEAL_KEY")}
    result = _start(DEBUG="false", ALLOWED_HOSTS="thidua.example", **keys)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql-ish://nowhere"),
        ("EMAIL_TIMEOUT", "soon"),
        ("SESSION_COOKIE_AGE", "-5"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable: str, value: str) -> None:
    result = _start(**{"DEBUG": "true", variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_strict_env_parses_booleans_lists_and_databases() -> None:
    env = StrictEnv({"A": "yes", "B": "0", "H": "a.example, b.example", "DB": "postgres://u:p@h:5432/thidua"})
    assert env.boolean("A", False) is True
    assert env.boolean("B", True) is False
    assert env.boolean("MISSING", True) is True
    assert env.items("H", []) == ["a.example", "b.example"]
    assert env.database("DB", "sqlite:///x")["NAME"] == "thidua"
    with pytest.raises(ImproperlyConfigured, match="DB2"):
        StrictEnv({"DB2": "postgres://h:5432/"}).database("DB2", "")


def test_settings_speak_vietnamese_first_in_the_agency_time_zone(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_env_example_lists_every_variable_the_settings_read() -> None:
    settings_source = (ROOT / "config" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    read = set(re.findall(r'env\.\w+\("([A-Z_]+)"', settings_source))
    assert read, "the settings read no variables?"
    missing = sorted(v for v in read if v not in example)
    assert not missing, f".env.example lacks {missing}"
