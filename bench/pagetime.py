"""Time pages in-process on a bench database: fastest of N after warm-ups, and each page's query count.

    DATABASE_URL=sqlite:////tmp/…/thidua_bench_sqlite.sqlite3 DJANGO_SETTINGS_MODULE=bench.settings \\
        python bench/pagetime.py [--runs 25] [--warm 3] [--nomination 3]

Run from the tree to be timed (its modules win); the database is one `python -m bench … --only 4` left
behind (10k nominations / 100k events with --quick). The same script times any commit's tree, so a
before and an after run minutes apart on the same database compare. bench/NOTES.md says what it found.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from nominations.models import Person  # noqa: E402

PAGES = [  # (label, path, username)
    ("home, office", "/", "office1"),
    ("home, unit head", "/", "head-tkth"),
    ("inbox, office", "/viec/", "office1"),
    ("one nomination, office", "/ho-so/{nomination}/", "office1"),
    ("nomination list, office", "/ho-so/", "office1"),
    ("nomination list, unit head", "/ho-so/", "head-tkth"),
    ("dashboard, Director", "/theo-doi/", "director"),
    ("audit log, office", "/nhat-ky/", "office1"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--nomination", type=int, default=3)
    args = parser.parse_args()
    print(f"settings: {os.environ['DJANGO_SETTINGS_MODULE']}, database: {connection.vendor}")
    print(f"| page | queries | fastest of {args.runs} |\n|---|---|---|")
    for label, path, username in PAGES:
        path = path.format(nomination=args.nomination)
        client = Client()
        client.force_login(Person.objects.get(username=username))
        for _ in range(args.warm):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries: list[str] = []

        def count(
            execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list[str] = queries
        ) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        best = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(path)
            best = min(best, time.perf_counter() - start)
        print(f"| {label} `{path}` | {len(queries)} | {best * 1000:.0f} ms |", flush=True)


if __name__ == "__main__":
    main()
