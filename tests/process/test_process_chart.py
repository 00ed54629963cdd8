"""The process chart (workflow/process/chart.py): generated from the flow, legible, no two edges crossing."""

from __future__ import annotations

import itertools
import re

from django.utils import translation

from workflow.process.chart import FONT, Layout, graph, layout, svg
from workflow.process.flows import NominationChartFlow

Point = tuple[float, float]


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def touch(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd have a point in common (crossing, touching or overlapping)."""
    d1, d2, d3, d4 = _orient(c, d, a), _orient(c, d, b), _orient(a, b, c), _orient(a, b, d)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4):
        return True
    return any(
        o == 0 and _on(p, q, r)
        for o, (p, q, r) in zip((d1, d2, d3, d4), ((c, d, a), (c, d, b), (a, b, c), (a, b, d)), strict=True)
    )


def crossings(chart: Layout) -> list[tuple[str, str]]:
    """Pairs of edges that meet anywhere except at an end they share on a common step's box."""
    found = []
    for e, f in itertools.combinations(chart.edges, 2):
        shared = {e.source, e.target} & {f.source, f.target}
        for (a, b), (c, d) in itertools.product(
            zip(e.points, e.points[1:], strict=False), zip(f.points, f.points[1:], strict=False)
        ):
            if touch(a, b, c, d):
                ends = {e.points[0], e.points[-1]} & {f.points[0], f.points[-1]}
                if not (shared and ends):
                    found.append((f"{e.source}→{e.target}", f"{f.source}→{f.target}"))
    return found


def test_no_two_edges_of_the_chart_cross_or_touch() -> None:
    chart = layout()
    assert len(chart.edges) >= 20
    assert crossings(chart) == []


def test_the_geometry_test_sees_a_crossing() -> None:
    assert touch((0, 0), (10, 10), (0, 10), (10, 0))
    assert not touch((0, 0), (10, 0), (0, 5), (10, 5))


def test_every_edge_of_the_flow_is_drawn_and_the_main_path_is_one_column() -> None:
    _titles, edges = graph()
    chart = layout()
    assert sorted(edges) == sorted((e.source, e.target) for e in chart.edges)
    main = ["prepare", "appraise", "schedule", "vote", "decide", "report", "in_force"]
    boxes = chart.boxes
    assert len({boxes[n].x for n in main}) == 1
    assert [boxes[n].y for n in main] == sorted(boxes[n].y for n in main)
    for branch in ("revise", "on_hold", "await_outcome"):
        assert boxes[branch].x > boxes["appraise"].x + boxes["appraise"].w
    steps = {n.name for n in NominationChartFlow.instance.nodes()} - {"ballot"}
    assert {n for n in steps if not n.startswith("after_")} == set(boxes)


def test_no_box_overlaps_another_and_the_text_fits_a_phone_at_12_px() -> None:
    chart = layout()
    for a, b in itertools.combinations(chart.boxes.values(), 2):
        assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y, (a.name, b.name)
    # A 360 px phone leaves ~330 px inside the card; the drawing is scaled to fit, never below 12 px.
    assert FONT * min(1.0, 330 / chart.width) >= 12
    drawn = svg(chart, {"prepare": "DONE", "appraise": "NEW"})
    assert f'font-size="{FONT}"' in drawn and "font-size" not in drawn.replace(f'font-size="{FONT}"', "")
    assert re.search(r'id="prepare" class="node done" data-node="prepare"', drawn)
    assert re.search(r'id="appraise" class="node new" data-node="appraise"', drawn)
    assert "<style" not in drawn and "style=" not in drawn


def test_the_chart_is_drawn_in_the_language_of_the_page() -> None:
    with translation.override("vi"):
        vi = {b.title for b in layout().boxes.values()}
    with translation.override("en"):
        en = {b.title for b in layout().boxes.values()}
    assert "Cục trưởng quyết định" in vi and vi != en
