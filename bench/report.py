"""docs/performance.md from one run's results (`python -m bench.report [results.json]` re-renders it).

The hand-written part — what was slow, what changed and why — lives in bench/NOTES.md and is copied
in under the tables, so a new run never loses it.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.common import ROOT, WORK

PACKAGES = [
    "Django",
    "django-fsm-2",
    "django-guardian",
    "django-viewflow",
    "djangorestframework",
    "psycopg",
    "gunicorn",
]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "—"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "packages": versions,
        "commit": commit,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": loadavg(),
    }


# --- formatting -------------------------------------------------------------------------------------------
def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _spread(s: dict[str, float], digits: int = 0, unit: str = "") -> str:
    """median (min–max)"""
    if s["n"] == 1:
        return f"{_n(s['median'], digits)}{unit}"
    return f"{_n(s['median'], digits)}{unit} ({_n(s['min'], digits)}–{_n(s['max'], digits)})"


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return {"median": median, "min": ordered[0], "max": ordered[-1], "n": len(ordered)}


def _ok(good: bool | None) -> str:
    return "—" if good is None else "✅" if good else "❌"


# --- the targets of issue #17 (PostgreSQL, each next to its floor in the same run) ---------------------
TRANSITION_RATIO = 3.0  # a transition ≤ 3× the floor
TRANSITION_QUERIES = 12  # ≤ 12 queries in a transition's transaction, every step
BATCH_SECONDS = 2.0  # a batch of 200 through the API, document rows included
PAGE_P95_MS = 150.0  # every page and list endpoint, every role, at the largest stage
BALLOT_RATE = 0.5  # ballots/s ≥ 50% of the bare-insert floor's
BALLOT_P95 = 1.5  # ballots' p95 ≤ 1.5× the floor's p95 under the same burst
WRITERS_SPEEDUP = 4.0  # 8 writers on different nominations ≥ 4× one


@dataclass(frozen=True)
class Target:
    benchmark: str
    target: str
    figure: str
    met: bool | None  # None: not run


def _median(values: list[float]) -> float:
    return _stats(values)["median"]


def transition_targets(t: dict[str, Any] | None) -> list[Target]:
    if not t:
        return [
            Target("1", f"a transition ≤ {TRANSITION_RATIO:g}× the floor", "not run", None),
            Target(
                "1",
                f"≤ {TRANSITION_QUERIES} queries in a transition's transaction, every step",
                "not run",
                None,
            ),
        ]
    services, floor = t["variants"]["services"], t["variants"]["floor"]
    ratio = _median(t["ratio_to_floor"]["services"])
    steps = services["queries"]["by_step"]
    worst = max(steps, key=lambda name: steps[name]["in_txn"])
    over = [name for name, s in steps.items() if s["in_txn"] > TRANSITION_QUERIES]
    return [
        Target(
            "1",
            f"a transition ≤ {TRANSITION_RATIO:g}× the floor",
            f"{ratio:.1f}× ({_median(services['per_second']):.0f}/s; floor {_median(floor['per_second']):.0f}/s)",
            ratio <= TRANSITION_RATIO,
        ),
        Target(
            "1",
            f"≤ {TRANSITION_QUERIES} queries in a transition's transaction, every step",
            f"{len(steps) - len(over)} of {len(steps)} steps; most: {worst} {steps[worst]['in_txn']:.0f} "
            f"(average {services['queries']['in_txn']:.1f})",
            not over,
        ),
    ]


def batch_targets(r: dict[str, Any] | None) -> list[Target]:
    if not r:
        return [Target("7", f"a batch of 200 < {BATCH_SECONDS:g} s through the API", "not run", None)]
    return [
        Target(
            "7",
            f"a batch of {r['n']} < {BATCH_SECONDS:g} s: {name.replace('_', ' ')}",
            f"{b['seconds']:.2f} s ({b['queries']:,} queries; floor {b['floor_seconds']:.3f} s)",
            b["seconds"] < BATCH_SECONDS,
        )
        for name, b in r["batches"].items()
    ]


def page_marks(stages: list[dict[str, Any]]) -> dict[str, bool]:
    """Per page (the floor left out): p95 < 150 ms at the largest stage and the same queries at every stage."""
    marks = {}
    for key in stages[0]["pages"]["pages"]:
        if key == "floor":
            continue
        pages = [s["pages"]["pages"][key] for s in stages]
        ok = all(p["status"] == "ok" for p in pages)
        marks[key] = ok and pages[-1]["ms"]["p95"] < PAGE_P95_MS and len({p["queries"] for p in pages}) == 1
    return marks


def page_targets(db: dict[str, Any]) -> list[Target]:
    stages = [s for s in db.get("stages", []) if s.get("pages")]
    label = f"every page and list, every role: p95 < {PAGE_P95_MS:.0f} ms at the largest stage, same queries at every stage"
    if not stages:
        return [Target("4", label, "not run", None)]
    marks = page_marks(stages)
    last = stages[-1]["pages"]["pages"]
    missed = [
        f"{last[k]['label']}"
        + (f" {last[k]['ms']['p95']:.0f} ms" if last[k]["status"] == "ok" else f" {last[k]['status']}")
        for k, good in marks.items()
        if not good
    ]
    figure = f"{sum(marks.values())} of {len(marks)} pages met at {stages[-1]['stage']}" + (
        f" (missed: {'; '.join(missed)})" if missed else ""
    )
    return [Target("4", label, figure, bool(marks) and all(marks.values()))]


def _rounds(v: dict[str, Any], kind: str) -> tuple[float, float] | None:
    """(ballots/s, p95 ms), medians over the rounds."""
    rounds = v.get(kind) or []
    if not rounds:
        return None
    return _median([r["per_second"] for r in rounds]), _median([r["ms"]["p95"] for r in rounds])


def ballot_targets(v: dict[str, Any] | None) -> list[Target]:
    labels = (
        f"ballots/s ≥ {BALLOT_RATE:.0%} of the bare-insert floor's",
        f"ballots' p95 ≤ {BALLOT_P95:g}× the floor's p95 (same burst)",
        "0 ballots lost, 0 counted twice",
    )
    floor, product = (_rounds(v, "floor"), _rounds(v, "product")) if v else (None, None)
    if not floor or not product or not v:
        return [Target("3", label, "not run", None) for label in labels]
    rate, p95 = product[0] / floor[0], product[1] / floor[1]
    lost = sum(r["lost"] for r in v["product"])
    double = sum(r["double"] for r in v["product"])
    ballots = sum(r["ballots"] for r in v["product"])
    return [
        Target(
            "3", labels[0], f"{rate:.0%} ({product[0]:.0f}/s; floor {floor[0]:.0f}/s)", rate >= BALLOT_RATE
        ),
        Target(
            "3", labels[1], f"{p95:.1f}× ({product[1]:.0f} ms; floor {floor[1]:.0f} ms)", p95 <= BALLOT_P95
        ),
        Target("3", labels[2], f"{lost} lost, {double} double of {ballots:,}", lost == 0 and double == 0),
    ]


def writer_targets(r: dict[str, Any] | None) -> list[Target]:
    if not r:
        return [Target("8", f"8 writers ≥ {WRITERS_SPEEDUP:g}× one", "not run", None)]
    w = r["writers"]
    services, floor = _median(r["speedup"]["services"]), _median(r["speedup"]["floor"])
    return [
        Target(
            "8",
            f"{w} writers on different nominations ≥ {WRITERS_SPEEDUP:g}× one",
            f"{services:.2f}× ({_median(r['per_second'][f'services×{w}']):.0f}/s vs "
            f"{_median(r['per_second']['services×1']):.0f}/s); floor {w} writers {floor:.2f}× one; "
            f"{r['cores']} cores",
            services >= WRITERS_SPEEDUP,
        )
    ]


def target_db(dbs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The database the targets are read on: PostgreSQL, or the only one run."""
    return next((db for db in dbs if db["db"] == "postgres"), dbs[0] if dbs else None)


def targets(db: dict[str, Any]) -> list[Target]:
    return [
        *transition_targets(db.get("transitions")),
        *ballot_targets(db.get("voting")),
        *page_targets(db),
        *batch_targets(db.get("batch")),
        *writer_targets(db.get("writers")),
    ]


def _summary(dbs: list[dict[str, Any]]) -> list[str]:
    db = target_db(dbs)
    if db is None:
        return []
    found = targets(db)
    run = [t for t in found if t.met is not None]
    where = "PostgreSQL" if db["db"] == "postgres" else f"{db['db']} (no PostgreSQL in this run)"
    return [
        "## Targets of issue #17",
        "",
        f"On {where}, each next to its floor in the same run; *not run* = the benchmark was left out of this run. "
        f"{sum(1 for t in run if t.met)} of {len(run)} measured targets met.",
        "",
        "| benchmark | target | figure | met? |",
        "|---|---|---|---|",
        *(f"| {t.benchmark} | {t.target} | {t.figure} | {_ok(t.met)} |" for t in found),
        "",
    ]


NOT_RUN = "*Not in this run* (left out by `--only`)."


def _not_run(heading: str) -> list[str]:
    return [heading, "", NOT_RUN, ""]


def _target_line(db: dict[str, Any], found: list[Target]) -> list[str]:
    return [
        "",
        f"Targets of issue #17 on {db['db']}: "
        + "; ".join(f"{t.target} — {t.figure} {_ok(t.met)}" for t in found)
        + ".",
    ]


def _transitions(dbs: list[dict[str, Any]]) -> list[str]:
    if not any(db.get("transitions") for db in dbs):
        return _not_run("## 1. Transition cost — services vs the floor (and 2. the viewflow hand-off)")
    lines = [
        "## 1. Transition cost — services vs the floor (and 2. the viewflow hand-off)",
        "",
        "Each repetition: N nominations through submit → evaluate → schedule → close_vote → approve → report "
        "(6 transitions each) through `workflow.services.transitions`, and N rows of a bare django-fsm-2 model "
        "through the same six transitions with one plain audit insert each (lock the row, change the state, "
        "insert one row, commit). The two take turns every 10 items, so both see the same machine; the ratio "
        "is taken per repetition. Queries are counted in a separate untimed pass: *in txn* = inside the "
        "transition's transaction, *after commit* = the outbox's mail delivery that runs `on_commit` in the same "
        "request; BEGIN/COMMIT not counted.",
        "",
        "| DB | variant | transitions/s, median (min–max) | time ratio to floor | queries/transition: in txn + after commit |",
        "|---|---|---|---|---|",
    ]
    per_step: list[str] = []
    handoffs: list[str] = []
    for db in dbs:
        t = db.get("transitions")
        if not t:
            continue
        for name, v in t["variants"].items():
            ratio = t["ratio_to_floor"].get(name)
            q = v["queries"]
            lines.append(
                f"| {db['db']} | {v['label']} | {_spread(_stats(v['per_second']))} | "
                f"{_spread(_stats(ratio), 1, '×') if ratio else '1×'} | "
                f"{_n(q['in_txn'], 1)} + {_n(q['after_commit'], 1)} = **{_n(q['total'], 1)}** |"
            )
        if "services_no_viewflow" not in t["variants"]:
            lines.append(
                f"| {db['db']} | services without the viewflow hand-off (benchmark 2) | "
                "not available yet (no viewflow flow on this commit) | — | — |"
            )
        else:
            services_s = t["variants"]["services_no_mail"]["seconds"]
            without_s = t["variants"]["services_no_viewflow"]["seconds"]
            hand_off = [s / w for s, w in zip(services_s, without_s, strict=True)]
            handoffs.append(f"{db['db']} {_spread(_stats(hand_off), 2, '×')}")
        services = t["variants"]["services"]["queries"]["by_step"]
        per_step.append(
            f"| {db['db']} | "
            + " | ".join(
                f"{s['in_txn']:.0f} + {s['after_commit']:.0f} {_ok(s['in_txn'] <= TRANSITION_QUERIES)}"
                for s in services.values()
            )
            + " |"
        )
        n, reps = t["n"], t["reps"]
    if per_step:
        steps = list(dbs[0]["transitions"]["variants"]["services"]["queries"]["by_step"])
        lines += [
            "",
            f"N = {n} nominations × 6 transitions per repetition, {reps} timed repetitions after one warm-up.",
            "",
            f"Queries per step of the services path (in txn + after commit; ✅/❌: the transaction's against "
            f"≤ {TRANSITION_QUERIES}):",
            "",
            "| DB | " + " | ".join(steps) + " |",
            "|---|" + "---|" * len(steps),
            *per_step,
        ]
    if handoffs:
        lines += [
            "",
            "Benchmark 2 — what viewflow's hand-off costs (both with the mail left in the outbox: time with it ÷ "
            "time without it, per repetition): " + ", ".join(handoffs) + ".",
        ]
    on = target_db([db for db in dbs if db.get("transitions")])
    targets = _target_line(on, transition_targets(on["transitions"])) if on else []
    return [*lines, *targets, ""]


def _voting(dbs: list[dict[str, Any]]) -> list[str]:
    if not any(db.get("voting") for db in dbs):
        return _not_run("## 3. Concurrent voting over HTTP")
    lines = [
        "## 3. Concurrent voting over HTTP",
        "",
        "gunicorn on loopback; 50 voters in separate processes start together, each casts one ballot on each of "
        "20 items, then tries one item again (must be refused). Latency is the client's round trip. Lost = "
        "accepted but not counted (receipts, then the closed session's results); double = counted more than "
        "accepted, or a second ballot accepted. The floor: the same voters and server, a bare token-authenticated "
        "view inserting one row with a unique (voter, item) constraint.",
        "",
        "| DB | endpoint | ballots/s | p50 ms | p95 ms | p99 ms | statuses | lost | double |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for db in dbs:
        v = db.get("voting")
        if not v:
            continue
        for kind, label in (
            ("floor", "floor: bare insert view"),
            ("product", "POST /api/council-sessions/{id}/ballots/"),
        ):
            rounds = v.get(kind) or []
            if not rounds:
                status = v.get("product_status", "not run")
                probe = v.get("probe", {}).get("status")
                lines.append(
                    f"| {db['db']} | {label} | {status} (probe: HTTP {probe}) | — | — | — | — | — | — |"
                )
                continue
            rate = _stats([r["per_second"] for r in rounds])
            p = {k: _stats([r["ms"][k] for r in rounds]) for k in ("p50", "p95", "p99")}
            statuses: dict[str, int] = {}
            for r in rounds:
                for code, count in r["statuses"].items():
                    statuses[code] = statuses.get(code, 0) + count
            lost = sum(r["lost"] for r in rounds)
            double = sum(r["double"] for r in rounds)
            lines.append(
                f"| {db['db']} | {label} | {_spread(rate)} | {_spread(p['p50'], 1)} | {_spread(p['p95'], 1)} | "
                f"{_spread(p['p99'], 1)} | {', '.join(f'{k}×{c}' for k, c in sorted(statuses.items()))} | "
                f"{lost} | {double} |"
            )
    first = next((db["voting"] for db in dbs if db.get("voting")), None)
    if first:
        lines += [
            "",
            f"{first['voters']} voters × {first['items']} items per round, {first['reps']} round(s) each, "
            f"gunicorn with {first['gunicorn_workers']} sync workers.",
        ]
    on = target_db([db for db in dbs if db.get("voting")])
    if on:
        lines += _target_line(on, ballot_targets(on["voting"]))
    return [*lines, ""]


def _pages(dbs: list[dict[str, Any]]) -> list[str]:
    if not any(s.get("pages") for db in dbs for s in db.get("stages", [])):
        return _not_run("## 4. Pages at scale")
    lines = [
        "## 4. Pages at scale",
        "",
        "Server time of one request through Django's full handler in-process (middleware, session, view, "
        "template; no network), p50/p95 over the requests, all pages timed in turns so they share the same load; "
        "queries of one request. Data: the generator's nominations (spread over campaigns, awards, units and "
        "states, with the rights `nomination_create` gives) and audit events. PostgreSQL is ANALYZEd after each load; "
        "SQLite is left without statistics, as Django leaves it. *not available yet* = the URL answers 404 on "
        "this commit.",
        "",
    ]
    for db in dbs:
        stages = [s for s in db.get("stages", []) if s.get("pages")]
        if not stages:
            continue
        marked = db is target_db(dbs)
        marks = page_marks(stages) if marked else {}
        header = (
            "| page | user | "
            + " | ".join(f"{s['stage']}: queries, p50 / p95 ms" for s in stages)
            + (f" | p95 < {PAGE_P95_MS:.0f} ms at {stages[-1]['stage']}, same queries |" if marked else " |")
        )
        lines += [f"**{db['db']}**", "", header, "|---|---|" + "---|" * (len(stages) + marked)]
        keys = list(stages[0]["pages"]["pages"])
        for key in keys:
            first = stages[0]["pages"]["pages"][key]
            cells = []
            for s in stages:
                page = s["pages"]["pages"][key]
                if page["status"] == "ok":
                    cells.append(f"{page['queries']}, {page['ms']['p50']:.0f} / **{page['ms']['p95']:.0f}**")
                else:
                    cells.append(page["status"] + (f": {page['detail']}" if page.get("detail") else ""))
            lines.append(
                f"| {first['label']} `{first['path']}` | {first.get('user', '')} | "
                + " | ".join(cells)
                + (f" | {_ok(marks.get(key))} |" if marked else " |")
            )
        if marked:
            lines += ["", f"{sum(marks.values())} of {len(marks)} pages met (the floor is not counted)."]
        lines.append("")
    on = target_db([db for db in dbs if any(s.get("pages") for s in db.get("stages", []))])
    if on:
        lines += _target_line(on, page_targets(on))[1:]
    return [*lines, ""]


def _audit(dbs: list[dict[str, Any]]) -> list[str]:
    if not any(s.get("audit") for db in dbs for s in db.get("stages", [])):
        return _not_run("## 5. Audit export and verification")
    lines = [
        "## 5. Audit export and verification",
        "",
        "Each task is its own process (Python start-up and Django set-up included, as an operator runs it); "
        "peak memory is the process's own maximum resident set (`wait4`). *idle* = `manage.py check`, a command "
        "that only starts (system checks import every URL, view and app, as every command does): the memory floor. *raw read* = every event row streamed through a bare "
        "DB-API cursor, no objects built: the time floor.",
        "",
    ]
    labels = {
        "idle": "`manage.py check` (memory floor)",
        "raw_read": "raw read of every row (time floor)",
        "export_csv": "`manage.py export_audit --format csv`",
        "export_jsonl": "`manage.py export_audit --format jsonl`",
        "verify": "`manage.py verify_audit`",
    }
    for db in dbs:
        stages = [s for s in db.get("stages", []) if s.get("audit")]
        if not stages:
            continue
        header = "| task | " + " | ".join(f"{s['stage']}: seconds | peak RSS MB" for s in stages) + " |"
        lines += [f"**{db['db']}**", "", header, "|---|" + "---|---|" * len(stages)]
        for key, label in labels.items():
            cells = []
            for s in stages:
                a = s["audit"]
                cells.append(f"{_spread(a['seconds'][key], 1)} | {_spread(a['peak_rss_mb'][key])}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        outputs = "; ".join(f"{s['stage']}: `{s['audit']['verify_output']}`" for s in stages)
        sizes = "; ".join(
            f"{s['stage']}: CSV {s['audit']['bytes']['export_csv'] / 1e6:.0f} MB, "
            f"JSONL {s['audit']['bytes']['export_jsonl'] / 1e6:.0f} MB"
            for s in stages
        )
        lines += ["", f"verify_audit said — {outputs}. Export sizes — {sizes}.", ""]
    lines.append("Target: export and verify in constant memory (the same peak at every size).")
    return [*lines, ""]


def _generation(dbs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for db in dbs:
        for s in db.get("stages", []):
            g = s["generated"]
            # Grant rows on nominations after the fill (before issue 17: the rows the fill added, 12 each).
            grants = g.get("grant_rows", {}).get("nominations", g["grants_added"])
            rows.append(
                f"| {db['db']} | {s['stage']} | {g['nominations']:,} | {g['events']:,} | {grants:,} | "
                f"{g.get('processes_started', 0):,} | {g['seconds']:.0f} s |"
            )
    if not rows:
        return []
    return [
        "### Data generated for 4 and 5",
        "",
        "| DB | stage | generated nominations | audit events | grant rows on nominations | viewflow processes started "
        "| time |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def _imports(dbs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for db in dbs:
        r = db.get("imports")
        if not r:
            continue
        target = f" {_ok(r['total_seconds'] < 10)}" if db["db"] == "postgres" else ""
        rows.append(
            f"| {db['db']} | {r['rows']:,} | {r['preview_seconds']:.2f} s ({r['preview_queries']} queries) "
            f"| {r['commit_seconds']:.2f} s | {r['total_seconds']:.2f} s{target} | {r['floor_seconds']:.3f} s "
            f"| {r['ratio_to_floor']:.0f}× | {r['second_import_seconds']:.2f} s, "
            f"{r['second_import_created']} created |"
        )
    if not rows:
        return _not_run("## 6. Excel import of a unit's list (preview, commit)")
    return [
        "## 6. Excel import of a unit's list (preview, commit)",
        "",
        "A unit's sheet of N rows (one nominee each) read, checked and previewed, then committed: every row through "
        "`nomination_create` (audit event, rights, viewflow process) in one transaction. Floor: a bare "
        "`bulk_create` of the same N rows (no checks, audit, rights or process). Target: preview + commit of "
        "2,000 rows under 10 s on PostgreSQL. The same file imported again creates nothing.",
        "",
        "| DB | rows | preview | commit | preview + commit | floor | ratio | same file again |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


BATCHES = {
    "submission": "a unit's submission (`POST /api/submissions/{id}/submit/`)",
    "council_close": "a council session's close (`POST /api/council-sessions/{id}/close/`)",
    "decision": "one decision (`POST /api/decisions/`)",
    "report": "one report (`POST /api/reports/` + `…/issue/`)",
}


def _batches(dbs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for db in dbs:
        r = db.get("batch")
        if not r:
            continue
        for name, b in r["batches"].items():
            target = f" {_ok(b['seconds'] < BATCH_SECONDS)}" if db is target_db(dbs) else ""
            rows.append(
                f"| {db['db']} | {BATCHES.get(name, name)} | {r['n']} | {b['seconds']:.2f} s{target} "
                f"| {b['queries']:,} | {b['floor_seconds']:.3f} s | {b['ratio_to_floor']:.0f}× |"
            )
    if not rows:
        return _not_run("## 7. Batches of nominations through the API")
    return [
        "## 7. Batches of nominations through the API",
        "",
        "One request carries N nominations through one transition each, with the document's rows (the decision's "
        "lines, the report's), as the office and the unit use it. Floor: N bare django-fsm-2 transitions (lock, "
        "change state, one audit insert each) in one transaction, timed just before. Target (issue #17, "
        "PostgreSQL): each batch of 200 under 2 s end to end, the document's rows included (✅/❌ beside the time).",
        "",
        "| DB | batch | N | time | queries | floor | ratio |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def _writers(dbs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for db in dbs:
        r = db.get("writers")
        if not r:
            continue
        w = r["writers"]
        rate = {k: _stats(v) for k, v in r["per_second"].items()}
        speed = {k: _stats(v) for k, v in r["speedup"].items()}
        target = f" {_ok(speed['services']['median'] >= WRITERS_SPEEDUP)}" if db is target_db(dbs) else ""
        for name, label in (("floor", "floor: bare django-fsm-2 + 1 audit insert"), ("services", "services")):
            rows.append(
                f"| {db['db']} | {label} | {_spread(rate[f'{name}×1'])} | {_spread(rate[f'{name}×{w}'])} | "
                f"{_spread(speed[name], 2)}×{target if name == 'services' else ''} |"
            )
    if not rows:
        return _not_run("## 8. Concurrent writers")
    first = next(db["writers"] for db in dbs if db.get("writers"))
    lines = [
        "## 8. Concurrent writers",
        "",
        f"{first['writers']} processes, each with its own connection and its own {first['n']} nominations (own "
        "campaign and session), run benchmark 1's six steps at once; throughput is all their transitions over "
        "the wall time to the last one's end, next to one process doing the same. The floor runs the same way. "
        f"Target (issue #17, PostgreSQL): {first['writers']} writers ≥ {WRITERS_SPEEDUP:g}× one, the floor's "
        f"{first['writers']} writers beside it. The machine has {first['cores']} cores: CPU-bound writers cannot "
        "go past about that many times one, whatever the locks. Run on PostgreSQL only: SQLite takes one "
        "writer at a time by design (the lock is the file's), so writers cannot add up there.",
        "",
        f"| DB | variant | 1 writer, transitions/s | {first['writers']} writers, transitions/s | speed-up |",
        "|---|---|---|---|---|",
        *rows,
    ]
    on = target_db([db for db in dbs if db.get("writers")])
    assert on is not None
    return [*lines, *_target_line(on, writer_targets(on["writers"])), ""]


def _timings(dbs: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{db['db']} — " + ", ".join(f"{part} {seconds / 60:.1f}" for part, seconds in db["timings"].items())
        for db in dbs
        if db.get("timings")
    )


def write(results: dict[str, Any], out: str) -> None:
    m = results["machine"]
    dbs = results["databases"]
    versions = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    db_versions = ", ".join(db["version"] for db in dbs)
    per_db = ", ".join(f"{db['db']} {db['seconds'] / 60:.1f} min" for db in dbs)
    lines = [
        "# Performance",
        "",
        "What a transition, a vote, a page and the audit log cost on this machine, each measured on SQLite and "
        "on PostgreSQL next to its floor in the same run. Generated by `bench/run` (bench/report.py); "
        "the notes at the end are bench/NOTES.md.",
        "",
        "## Run",
        "",
        f"- Command: `{results['command']}` — mode **{results['mode']}**, {results['seconds'] / 60:.1f} min ({per_db})",
        *(
            [f"- Minutes per part (benchmark, or data stage): {timings}"]
            if (timings := _timings(dbs))
            else []
        ),
        f"- Date: {m['date']}, commit {m['commit']}",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM, Linux {m['kernel']}; load average "
        f"{m['load_before']} before, {results.get('load_after', '?')} after (the machine is shared: absolute "
        "figures move with the load, the ratios to the floors much less)",
        f"- Python {m['python']}; {versions}; {db_versions}",
        "- Settings: `bench.settings` = `config.settings` with DEBUG off, MD5 password hashing, the in-memory mail "
        "backend and the floor app; PostgreSQL on 127.0.0.1:5432 (stock configuration), SQLite in a file on local disk",
        "",
        "Reproduce:",
        "",
        "```sh",
        "bin/setup                 # once: the virtualenv",
        "bench/run --quick         # 2k and 10k nominations (20k / 100k audit events)",
        "bench/run                 # 10k and 30k nominations (100k / 300k audit events)",
        "bench/run --full          # 10k and 100k nominations (100k / 1M audit events): the run above",
        "bench/run --db postgres --only 1   # one database, one benchmark",
        "```",
        "",
        *_summary(dbs),
        *_transitions(dbs),
        *_voting(dbs),
        *_pages(dbs),
        *_audit(dbs),
        *_imports(dbs),
        *_batches(dbs),
        *_writers(dbs),
        *_generation(dbs),
    ]
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    Path(out).write_text("\n".join(lines))


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else WORK / "results.json"
    target = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "docs" / "performance.md")
    write(json.loads(source.read_text()), target)
    print(f"wrote {target} from {source}")
