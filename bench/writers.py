"""Benchmark 8: concurrent writers — W processes running transitions on different nominations at once.

Each writer is its own process with its own database connection and its own N nominations (its own
campaign and council session, so the writers share no row but the audit chain's), and runs them through
the same six steps as benchmark 1 (`bench.transitions.STEPS`). All writers start together; the
throughput is every writer's transitions over the wall time from the start to the last one's end.
The floor runs the same way with the same W: bare django-fsm-2 rows and one plain audit insert each,
no chain. One writer and W writers, floor and services, take turns in each repetition.

Runs inside a worker (`python -m bench.worker writers`); the writers are forked from it once the
items are made (untimed), after the worker has closed its connections.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from typing import Any

from django.db import connections

from bench import transitions as bt
from bench.generate import nominee_pool


def _prepare(
    variant: bt.Variant, writers: int, n: int, actors: bt.Actors, nominees: list[Any], index: int
) -> list[tuple[bt.Rep, list[Any]]]:
    """Per writer: its repetition (session) and its N items in their first state."""
    made = []
    for w in range(writers):
        rep = bt.new_rep(10_000 + index * 100 + w, actors, nominees)
        made.append((rep, variant.prepare(rep, n)))
    return made


def _writer(args: tuple[bt.Variant, bt.Rep, list[Any], Any, Any]) -> None:
    variant, rep, items, start, out = args
    start.wait()
    try:
        began = time.perf_counter()
        for name, _step in bt.STEPS:
            for i in range(len(items)):
                variant.advance(items, i, name, rep)
        out.put((began, time.perf_counter(), len(items) * len(bt.STEPS)))
    except BaseException:
        out.put(traceback.format_exc())  # the parent stops the round at once instead of waiting
        raise
    finally:
        connections.close_all()


def _round(variant: bt.Variant, made: list[tuple[bt.Rep, list[Any]]]) -> dict[str, float]:
    """All writers at once; wall time from the common start to the last writer's end."""
    connections.close_all()  # the children open their own; a shared socket would be closed under us
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    children = [ctx.Process(target=_writer, args=((variant, rep, items, start, out),)) for rep, items in made]
    for child in children:
        child.start()
    time.sleep(0.5)
    began = time.perf_counter()
    start.set()
    finished = []
    for _ in children:
        got = out.get(timeout=900)
        if isinstance(got, str):  # a writer failed: the others are stopped, the run fails with its error
            for child in children:
                child.terminate()
            raise RuntimeError(f"a writer of {variant.name} failed:\n{got}")
        finished.append(got)
    for child in children:
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"a writer of {variant.name} exited with {child.exitcode}")
    wall = max(end for _b, end, _n in finished) - began
    transitions = sum(n for _b, _e, n in finished)
    return {"seconds": wall, "transitions": transitions, "per_second": transitions / wall}


def run(*, n: int, writers: int, reps: int) -> dict[str, Any]:
    actors = bt._actors()
    nominees = nominee_pool(n)
    configs = [(bt.FLOOR, 1), (bt.SERVICES, 1), (bt.FLOOR, writers), (bt.SERVICES, writers)]
    rounds: dict[str, list[dict[str, float]]] = {f"{v.name}×{w}": [] for v, w in configs}
    for index in range(reps):
        order = configs if index % 2 == 0 else list(reversed(configs))
        for variant, count in order:
            made = _prepare(variant, count, n, actors, nominees, index * 10 + count)
            rounds[f"{variant.name}×{count}"].append(_round(variant, made))
    per_second = {k: [r["per_second"] for r in v] for k, v in rounds.items()}
    return {
        "n": n,
        "writers": writers,
        "reps": reps,
        "cores": multiprocessing.cpu_count(),
        "rounds": rounds,
        "per_second": per_second,
        "speedup": {
            name: [
                many / one
                for one, many in zip(per_second[f"{name}×1"], per_second[f"{name}×{writers}"], strict=True)
            ]
            for name in (bt.FLOOR.name, bt.SERVICES.name)
        },
    }
