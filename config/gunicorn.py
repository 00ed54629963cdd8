"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi` (see docs/operations.md).

Every value can be overridden by gunicorn's own environment variable GUNICORN_CMD_ARGS or on the
command line. Static files are served by whitenoise from STATIC_ROOT (run `collectstatic` first).
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the pages are short database requests; 2 × cores + 1 is gunicorn's usual advice.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never builds up.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
