"""cProfile of benchmark 1's path: N nominations through its six steps, by one variant, after a warm-up.

    DATABASE_URL=postgres://…/thidua_bench_run DEBUG=true python bench/profile_transitions.py \\
        [--n 30] [--variant services|floor|services_no_mail] [--out /tmp/transitions.prof]

Prints the time per transition of each step, then the functions by cumulative time; the raw profile goes
to --out (read it with `python -m pstats`). Run it on a database a `python -m bench` run left behind.
What it found: bench/NOTES.md, "Where a transition's time goes".
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django

django.setup()

from bench import transitions as bench  # noqa: E402
from bench.generate import nominee_pool  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--variant", default="services", choices=[v.name for v in bench.variants()])
    parser.add_argument("--out", default="/tmp/transitions.prof")
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    variant = next(v for v in bench.variants() if v.name == args.variant)
    actors = bench._actors()
    nominees = nominee_pool(args.n)
    profile = cProfile.Profile()
    per_step: dict[str, float] = {}
    for index in range(2):  # 0 warms up imports, caches and the tables' first pages; 1 is profiled
        rep = bench.new_rep(index, actors, nominees)
        items = variant.prepare(rep, args.n)
        for name, _step in bench.STEPS:
            began = time.perf_counter()
            if index:
                profile.enable()
            for i in range(args.n):
                variant.advance(items, i, name, rep)
            if index:
                profile.disable()
                per_step[name] = (time.perf_counter() - began) / args.n * 1000
    mean = sum(per_step.values()) / len(per_step)
    print(
        ", ".join(f"{name} {ms:.1f}" for name, ms in per_step.items()), f"ms per transition; mean {mean:.1f}"
    )
    profile.dump_stats(args.out)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
