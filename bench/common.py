"""Shared by the orchestrator and the workers: statistics, subprocess runs with peak memory, paths."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/thidua_bench"))
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)


# --- statistics -------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict[str, float]:
    """Median and spread of repeated measurements."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def latency_summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values_ms, 50),
        "p95": percentile(values_ms, 95),
        "p99": percentile(values_ms, 99),
        "max": max(values_ms),
        "n": len(values_ms),
    }


# --- subprocesses ------------------------------------------------------------------------------------
@dataclass
class Env:
    """What a worker needs to reach one benchmark database."""

    db: str  # "sqlite" | "postgres"
    database_url: str

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "DEBUG": "true",  # lets config.settings use its development key; bench.settings turns DEBUG off
                "BENCH_MEDIA_ROOT": str(WORK / "media"),
                "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            }
        )
        return env


@dataclass
class ProcessResult:
    returncode: int
    seconds: float
    peak_rss_mb: float
    log: Path


def run_process(args: list[str], env: Env, log_name: str, *, check: bool = True) -> ProcessResult:
    """Run a child, wait for it with wait4, and return its wall time and its own peak RSS."""
    log = WORK / "logs" / f"{env.db}-{log_name.replace('/', '-')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, env=env.environ(), stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}); log {log}:\n{tail}")
    return ProcessResult(proc.returncode, seconds, usage.ru_maxrss / 1024, log)


def run_worker(task: str, env: Env, params: dict[str, Any], log_name: str | None = None) -> Any:
    """Run `python -m bench.worker <task>` against the benchmark database and return its JSON result."""
    name = (log_name or task).replace("/", "-")
    out = WORK / "results" / f"{env.db}-{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    run_process(
        [PYTHON, "-m", "bench.worker", task, "--out", str(out), "--params", json.dumps(params)],
        env,
        name,
    )
    return json.loads(out.read_text())


def manage(env: Env, *args: str, log_name: str, check: bool = True) -> ProcessResult:
    return run_process([PYTHON, "manage.py", *args], env, log_name, check=check)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
