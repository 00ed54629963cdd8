"""python -m bench [--quick | --full] [--db sqlite,postgres] [--only 1,3,4,5,6,7,8] — every benchmark, one report.

For each database it makes a fresh benchmark database (SQLite: a file under BENCH_WORK; PostgreSQL:
`thidua_bench_run` on BENCH_PG, dropped and created), migrates it with bench.settings, loads the demo,
then runs the benchmarks, each in its own process, each next to its floor, and writes
docs/performance.md (or --out). Raw results go to BENCH_WORK/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from bench import report, voting
from bench.common import PYTHON, ROOT, WORK, Env, log, manage, run_process, run_worker, summary

MODES: dict[str, dict[str, Any]] = {
    # N nominations per repetition of benchmark 1; (nominations, events) of each data stage of 4 and 5;
    # how many generated nominations get their viewflow process (the inbox's tasks).
    "quick": {
        "transitions": {"n": 20, "reps": 3},
        "voting": {"voters": 50, "items": 20, "reps": 1},
        "stages": [(2_000, 20_000), (10_000, 100_000)],
        "page_requests": 15,
        "processes": 200,
        "audit_reps": 2,
        "import_rows": 2000,
        "batch": 200,
        "writers": {"n": 10, "writers": 8, "reps": 2},
    },
    "default": {
        "transitions": {"n": 40, "reps": 4},
        "voting": {"voters": 50, "items": 20, "reps": 2},
        "stages": [(10_000, 100_000), (30_000, 300_000)],
        "page_requests": 30,
        "processes": 500,
        "audit_reps": 2,
        "import_rows": 2000,
        "batch": 200,
        "writers": {"n": 15, "writers": 8, "reps": 3},
    },
    "full": {
        "transitions": {"n": 60, "reps": 5},
        "voting": {"voters": 50, "items": 20, "reps": 3},
        "stages": [(10_000, 100_000), (100_000, 1_000_000)],
        "page_requests": 40,
        "processes": 1000,
        "audit_reps": 2,
        "import_rows": 2000,
        "batch": 200,
        "writers": {"n": 20, "writers": 8, "reps": 3},
    },
}
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/thidua_bench_run"


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def prepare(db: str) -> Env:
    """A fresh, migrated database with the demo loaded."""
    if db == "sqlite":
        path = WORK / "thidua_bench_sqlite.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            (path.parent / (path.name + suffix)).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        env = Env("sqlite", f"sqlite:///{path}")
    else:
        url = os.environ.get("BENCH_PG", PG_DEFAULT)
        name = urlsplit(url).path.lstrip("/")
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(url, f'CREATE DATABASE "{name}"')
        env = Env("postgres", url)
    manage(env, "migrate", "--no-input", log_name="migrate")
    manage(env, "loaddemo", log_name="loaddemo")
    return env


def analyze(env: Env) -> None:
    """PostgreSQL: refresh planner statistics after a bulk load, as autovacuum would within minutes.

    SQLite is left as Django leaves it (Django never runs ANALYZE there), so the figures show the
    queries holding up without statistics.
    """
    if env.db == "postgres":
        import psycopg

        with psycopg.connect(env.database_url, autocommit=True) as conn:
            conn.execute("ANALYZE")


def _verify_command() -> list[str]:
    if (ROOT / "workflow" / "management" / "commands" / "verify_audit.py").exists():
        return [PYTHON, "manage.py", "verify_audit"]
    return [PYTHON, "-m", "bench.worker", "verify", "--out", str(WORK / "verify.json")]  # before it landed


def audit_stream(env: Env, stage: str, reps: int) -> dict[str, Any]:
    """Benchmark 5: time and peak memory of export and verify, each its own process, with its floors."""
    out = WORK / "export"
    out.mkdir(parents=True, exist_ok=True)
    tasks: dict[str, list[str]] = {
        "idle": [PYTHON, "manage.py", "check"],
        "raw_read": [PYTHON, "-m", "bench.worker", "raw_read", "--out", str(WORK / "raw.json")],
        "export_csv": [PYTHON, "manage.py", "export_audit", "--format", "csv", "--output", str(out / "audit.csv")],
        "export_jsonl": [PYTHON, "manage.py", "export_audit", "--format", "jsonl", "--output", str(out / "audit.jsonl")],
        "verify": _verify_command(),
    }  # fmt: skip
    seconds: dict[str, list[float]] = {k: [] for k in tasks}
    rss: dict[str, list[float]] = {k: [] for k in tasks}
    sizes: dict[str, int] = {}
    for rep in range(reps):
        names = list(tasks) if rep % 2 == 0 else list(reversed(tasks))
        for name in names:
            result = run_process(tasks[name], env, f"audit-{stage}-{name}")
            seconds[name].append(result.seconds)
            rss[name].append(result.peak_rss_mb)
    for name, path in (("export_csv", out / "audit.csv"), ("export_jsonl", out / "audit.jsonl")):
        sizes[name] = path.stat().st_size
        path.unlink()
    verify_log = (WORK / "logs" / f"{env.db}-audit-{stage}-verify.log").read_text(errors="replace").strip()
    return {
        "seconds": {k: summary(v) for k, v in seconds.items()},
        "peak_rss_mb": {k: summary(v) for k, v in rss.items()},
        "bytes": sizes,
        "verify_output": verify_log.splitlines()[-1] if verify_log else "",
    }


def run_database(db: str, mode: dict[str, Any], only: set[str]) -> dict[str, Any]:
    result: dict[str, Any] = {"db": db}
    began = time.perf_counter()
    log(f"{db}: fresh database, migrate, loaddemo")
    # Minutes of each part, for the Run section (what a mode costs, and which part dominates).
    result["timings"] = timings = {}

    @contextlib.contextmanager
    def timed(part: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        timings[part] = time.perf_counter() - started

    with timed("set-up"):
        env = prepare(db)
    result["version"] = run_worker("info", env, {})["version"]
    if "1" in only:
        log(f"{db}: benchmark 1 — transitions ({mode['transitions']})")
        with timed("1"):
            result["transitions"] = run_worker("transitions", env, mode["transitions"])
    if "6" in only:
        log(f"{db}: benchmark 6 — Excel import of {mode['import_rows']} rows (preview, commit)")
        with timed("6"):
            result["imports"] = run_worker("imports", env, {"rows": mode["import_rows"]})
    if "7" in only:
        log(
            f"{db}: benchmark 7 — batches of {mode['batch']} through the API (submission, close, decision, report)"
        )
        with timed("7"):
            result["batch"] = run_worker("batch", env, {"n": mode["batch"]})
    # Benchmark 8 asks whether writers add up; SQLite takes one writer at a time by design (its lock is the
    # file's), so there the answer is known, and 8 CPU-bound writers on a small machine starve one of them
    # past the busy timeout (docs/decisions.md). Its target is PostgreSQL's.
    if "8" in only and db == "postgres":
        log(f"{db}: benchmark 8 — concurrent writers ({mode['writers']})")
        with timed("8"):
            result["writers"] = run_worker("writers", env, mode["writers"])
    if "3" in only:
        log(f"{db}: benchmark 3 — voting over HTTP ({mode['voting']})")
        with timed("3"):
            result["voting"] = voting.run(env, **mode["voting"], run_worker=run_worker)
    result["stages"] = []
    if only & {"4", "5"}:
        for nominations, events in mode["stages"]:
            stage = f"{nominations // 1000}k/{events // 1000}k"
            log(f"{db}: generating {nominations:,} nominations, {events:,} audit events")
            with timed(f"generate {stage}"):
                generated = run_worker(
                    "generate",
                    env,
                    {"nominations": nominations, "events": events, "processes": mode["processes"]},
                    f"generate-{stage}",
                )
            analyze(env)
            entry: dict[str, Any] = {
                "stage": stage,
                "nominations": nominations,
                "events": events,
                "generated": generated,
            }
            if "4" in only:
                log(f"{db}: benchmark 4 — pages at {stage}")
                with timed(f"4 at {stage}"):
                    entry["pages"] = run_worker(
                        "pages", env, {"requests": mode["page_requests"]}, f"pages-{stage}"
                    )
            if "5" in only:
                log(f"{db}: benchmark 5 — audit export and verify at {stage}")
                with timed(f"5 at {stage}"):
                    entry["audit"] = audit_stream(env, stage.replace("/", "-"), mode["audit_reps"])
            result["stages"].append(entry)
    result["seconds"] = time.perf_counter() - began
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="small N: a few minutes")
    group.add_argument("--full", action="store_true", help="the 100k nominations / 1M events figures")
    parser.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="benchmarks to run (2 runs with 1)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    mode_name = "quick" if args.quick else "full" if args.full else "default"
    mode = MODES[mode_name]
    only = set(args.only.split(",")) | ({"1"} if "2" in args.only.split(",") else set())
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    command = "bench/run " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.time()
    machine = report.machine()
    results: dict[str, Any] = {
        "mode": mode_name,
        "config": mode,
        "command": command.strip(),
        "machine": machine,
        "databases": [],
    }
    for db in dbs:
        results["databases"].append(run_database(db, mode, only))
        (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str))
    results["seconds"] = time.time() - started
    results["load_after"] = report.loadavg()
    (WORK / "results.json").write_text(json.dumps(results, indent=1, default=str))
    report.write(results, args.out)
    log(f"done in {results['seconds'] / 60:.1f} min: {args.out} (raw: {WORK / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
