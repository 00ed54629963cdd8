"""Settings for benchmark runs: the project's settings plus the bench-only "floor" app.

Used only by ``python -m bench`` (never by the product or the test suite). Differences from
``config.settings``, each chosen so the numbers describe the product and not the harness:

- ``DEBUG = False``: no query log on every cursor (as in production); queries are counted only where a
  benchmark asks for it, with ``CaptureQueriesContext``.
- the ``bench.floor`` app: the bare django-fsm-2 model every transition figure is compared with, and a
  trivial view, the floor of a page and of a ballot request.
- fast password hashing (logins are not measured: benchmarks authenticate with tokens or
  ``force_login``), an in-memory mail backend (the outbox's database work is measured, SMTP is not), and
  login throttling off (many logins from one address).
"""

from __future__ import annotations

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench.floor"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False
MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA_ROOT", "/tmp/thidua_bench/media"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
AXES_VERBOSE = False
