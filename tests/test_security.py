from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path: Path) -> None:
    public_key = tmp_path / "checkpoint-public.pem"
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "audit_checkpoint_keygen",
            str(tmp_path / "signing.pem"),
            str(public_key),
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true"},
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_CHAIN_KEY=secrets.token_urlsafe(50),
        BALLOT_SEAL_KEY=secrets.token_urlsafe(50),
        AUDIT_CHECKPOINT_PUBLIC_KEYS=str(public_key),
        TRUSTED_PROXY_IPS="127.0.0.1,::1",
        ALLOWED_HOSTS="thidua.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_script(client: Client) -> None:
    response = client.get("/dang-nhap/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login(
    settings: Any, client: Client, people: dict[str, Any]
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/dang-nhap/", {"username": "office1", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with its error
    assert (
        client.post("/dang-nhap/", {"username": "office1", "password": "wrong-password"}).status_code == 429
    )
    locked = client.post("/dang-nhap/", {"username": "office1", "password": "demo-pass-123"})
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_logs_in_while_not_locked(
    settings: Any, client: Client, people: dict[str, Any]
) -> None:
    settings.AXES_ENABLED = True
    response = client.post("/dang-nhap/", {"username": "office1", "password": "demo-pass-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["office1"].pk)
