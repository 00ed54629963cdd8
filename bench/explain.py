"""EXPLAIN ANALYZE every statement of one request, on a bench database (PostgreSQL).

    DATABASE_URL=postgres://…/thidua_bench_run DEBUG=true python bench/explain.py /theo-doi/ director \\
        [--plans-over 10]

Requests the page in-process as that person (after two warm-ups), times it, then runs each of its
statements again under `EXPLAIN (ANALYZE)`: planning and execution time, and the whole plan of those over
`--plans-over` ms. How the pages at 100k were taken apart (bench/NOTES.md, tenth session).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from nominations.models import Person  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("username")
    parser.add_argument("--plans-over", type=float, default=float("inf"), help="ms of execution")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN ANALYZE is read here in PostgreSQL's JSON form: set DATABASE_URL")
    client = Client()
    client.force_login(Person.objects.get(username=args.username))
    for _ in range(2):
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answered {response.status_code}")
    began = time.perf_counter()
    client.get(args.path)
    elapsed = (time.perf_counter() - began) * 1000
    with CaptureQueriesContext(connection) as captured:
        client.get(args.path)
    print(f"{args.path} as {args.username}: {elapsed:.0f} ms, {len(captured.captured_queries)} queries")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().startswith(("SELECT", "(SELECT", "WITH")):
                print(f"  (not explained) {sql[:100]}")
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0][0]
            print(f"  plan {plan['Planning Time']:.1f} exec {plan['Execution Time']:.1f} ms | {sql[:100]}")
            if plan["Execution Time"] > args.plans_over:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
                print("\n".join("      " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
