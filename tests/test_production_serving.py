"""Production serving: collectstatic with whitenoise's manifest storage, then gunicorn serving pages
and static files with DEBUG off."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")
def test_gunicorn_and_whitenoise_serve_pages_and_hashed_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env: dict[str, Any] = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
        "BALLOT_SEAL_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + "/dang-nhap/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        html = page.read().decode()
        assert page.status == 200 and "Đăng nhập" in html
        css = next(
            part.split('"')[0] for part in html.split('href="/static/')[1:] if part.startswith("css/app.")
        )
        assert css.startswith("css/app.") and css != "css/app.css"  # the hashed name from the manifest
        static = urllib.request.urlopen(f"{base}/static/{css}", timeout=5)
        assert static.status == 200
        assert "max-age=315360000" in static.headers["Cache-Control"]  # whitenoise: immutable, hashed file
    finally:
        server.terminate()
        server.wait(timeout=10)
