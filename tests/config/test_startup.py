"""An unsafe configuration does not start: `manage.py check` exits non-zero naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from secrets import token_urlsafe

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS = ("SECRET_KEY", "AUDIT_CHAIN_KEY", "BALLOT_SEAL_KEY")
OURS = {
    *KEYS,
    "DEBUG",
    "ALLOWED_HOSTS",
    "BALLOT_SEAL_KEY_FALLBACKS",
    "TRUSTED_PROXY_IPS",
    "THIDUA_ALLOW_DEV_SECRET",
}


def safe_production() -> dict[str, str]:
    return {"DEBUG": "false", "ALLOWED_HOSTS": "thidua.example", **{k: token_urlsafe(48) for k in KEYS}}


def check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**inherited, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def refused(result: subprocess.CompletedProcess[str], variable: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert variable in last, last


def test_a_safe_production_configuration_starts() -> None:
    result = check(safe_production())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", KEYS)
@pytest.mark.parametrize(
    "value",
    [
        None,  # unset
        "",  # empty: unset, never the key ''
        "   ",
        "CHANGE-ME-generate-a-secret-key",  # .env.example's kind of placeholder
        "change-me-to-a-long-random-string-of-50-characters-or-more",  # the old .env.example
        "short-but-random-Zq8",  # under 32 characters
        "ab" * 30,  # long, but not random
    ],
)
def test_a_missing_placeholder_or_weak_key_is_refused_with_debug_off(
    variable: str, value: str | None
) -> None:
    env = safe_production()
    if value is None:
        del env[variable]
    else:
        env[variable] = value
    refused(check(env), variable)


def test_a_short_key_is_refused_even_in_development() -> None:
    refused(check({"DEBUG": "true", "AUDIT_CHAIN_KEY": "too-short-0123456789"}), "AUDIT_CHAIN_KEY")


def test_a_weak_retired_ballot_key_is_refused() -> None:
    env = {**safe_production(), "BALLOT_SEAL_KEY_FALLBACKS": f"{token_urlsafe(48)},change-me"}
    refused(check(env), "BALLOT_SEAL_KEY_FALLBACKS")


@pytest.mark.parametrize("hosts", ["thidua.example", "*", "localhost,10.0.0.5", ".gov.vn"])
def test_debug_with_a_public_allowed_hosts_is_refused(hosts: str) -> None:
    refused(check({"DEBUG": "true", "ALLOWED_HOSTS": hosts}), "ALLOWED_HOSTS")


def test_debug_on_this_machine_starts_without_any_key() -> None:
    result = check({"DEBUG": "true", "ALLOWED_HOSTS": "localhost,127.0.0.1,[::1],testserver"})
    assert result.returncode == 0, result.stderr


def test_a_bad_trusted_proxy_address_is_refused() -> None:
    refused(check({**safe_production(), "TRUSTED_PROXY_IPS": "127.0.0.1,nginx"}), "TRUSTED_PROXY_IPS")


def test_the_env_example_as_it_stands_does_not_start() -> None:
    example = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            example[name.strip()] = value.strip()
    assert example["DEBUG"] == "false"
    refused(check(example), "SECRET_KEY")
    for key in KEYS:  # every key in it is a placeholder, not only the first one read
        refused(check({**example, **{k: token_urlsafe(48) for k in KEYS if k != key}}), key)


def test_check_deploy_refuses_one_key_used_twice() -> None:
    env = safe_production()
    env["AUDIT_CHAIN_KEY"] = env["SECRET_KEY"]
    result = check(env, "--deploy")
    assert result.returncode != 0
    assert "thidua.E001" in result.stderr and "SECRET_KEY and AUDIT_CHAIN_KEY" in result.stderr


def test_check_deploy_refuses_development_keys_and_a_world_trusted_proxy() -> None:
    env = {"DEBUG": "false", "ALLOWED_HOSTS": "thidua.example", "THIDUA_ALLOW_DEV_SECRET": "true"}
    result = check({**env, "TRUSTED_PROXY_IPS": "0.0.0.0/0"}, "--deploy")
    assert result.returncode != 0
    assert "thidua.E002" in result.stderr and "THIDUA_ALLOW_DEV_SECRET" in result.stderr
    assert "thidua.E004" in result.stderr and "0.0.0.0/0" in result.stderr


def test_check_deploy_warns_without_checkpoint_keys_or_trusted_proxy() -> None:
    result = check(safe_production(), "--deploy")
    assert result.returncode == 0
    assert "thidua.W001" in result.stderr and "AUDIT_CHECKPOINT_PUBLIC_KEYS" in result.stderr
    assert "thidua.W003" in result.stderr and "TRUSTED_PROXY_IPS" in result.stderr
