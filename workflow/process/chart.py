"""The process chart of one nomination: the flow's steps laid out along its main path, coloured by status.

viewflow draws its chart on a grid in the order it walks the nodes: with ten gateways and the back edges
of a return or a hold, its lines cross and its text is ~6 px once the 2000-unit drawing is fitted to a
page. This draws the same graph — read from the flow's nodes, gateways collapsed into the edges they
route — in an order a person reads:

- the **main path** (the states of a nomination that goes the whole way, `MAIN_STATES`, each mapped to its
  step) is one column, top to bottom;
- the **branches** (steps off the main path: revise, on hold, awaiting the upper authority) are a second
  column, each beside the main steps it connects to; every edge between the two columns is a straight
  line, and their ends are ordered the same way on both sides, so no two of them cross;
- an edge that **skips** main steps runs down a lane on the left, lanes nested by length;
- a step's branch to the end (withdrawn, ineligible, declined …) is a small end mark under it, so ten
  lines do not converge on one end node.

The drawing is 340 units wide, drawn 1:1 (text 13 px) and scaled down only on a screen narrower than that
(never under 12 px on a 360 px phone). `layout()` is cached: a page only colours it.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from viewflow.workflow import STATUS, flow
from viewflow.workflow.models import Task

from nominations.models import State
from workflow.process.flows import CLOSED_STEP, NominationChartFlow, step_for_state

OPEN = {STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED}

# The states of a nomination that goes the whole way; their steps make the chart's main column.
MAIN_STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.EVALUATED,
    State.IN_VOTE,
    State.PROPOSED,
    State.APPROVED,
    State.REPORTED,
)

FONT = 13  # px; at the narrowest phone (360 px) the drawing is scaled to ~0.95, still over 12 px
LINE = 16
CHAR = FONT * 0.56  # a conservative width of one character of system-ui at FONT
MARGIN_LEFT = 36  # room for the lanes of edges that skip main steps
MAIN_W, SIDE_W = 150, 118
CHANNEL = 32  # between the main column and the branches
BOX_H, ROW = 64, 96
START_R, END_R, MARK_R = 10, 12, 7
WIDTH = MARGIN_LEFT + MAIN_W + CHANNEL + SIDE_W + 4


@dataclass
class Box:
    name: str
    title: str
    shape: str  # "start", "task", "end"
    x: float
    y: float  # top
    w: float
    h: float
    lines: list[str] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Edge:
    source: str
    target: str
    points: list[tuple[float, float]]
    kind: str  # "main", "side", "skip", "end", "other"


@dataclass
class Layout:
    width: float
    height: float
    boxes: dict[str, Box]
    edges: list[Edge]


def _steps_of(node: Any) -> list[Any]:
    """Where `node` leads, through its gateway: a step's task is followed by a Switch routing by state."""
    targets: list[Any] = []
    for out in node._outgoing():
        dst = out.dst
        if isinstance(dst, flow.Switch):
            targets += [o.dst for o in dst._outgoing()]
        else:
            targets.append(dst)
    return targets


def graph() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The flow as people read it: steps (name → title) and edges, gateways collapsed, the per-member
    ballot tasks left out (they are not steps: the process stays at `vote` meanwhile)."""
    nodes = [
        n
        for n in NominationChartFlow.instance.nodes()
        if not isinstance(n, flow.Switch) and n.name != "ballot"
    ]
    titles = {n.name: str(n.task_title or n.name) for n in nodes}
    edges: list[tuple[str, str]] = []
    for n in nodes:
        for dst in _steps_of(n):
            if dst.name in titles and (n.name, dst.name) not in edges:
                edges.append((n.name, dst.name))
    return titles, edges


def _wrap(text: str, width: float) -> list[str]:
    per_line = max(4, int(width / CHAR))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _main_path(names: set[str]) -> list[str]:
    steps = ["start"]
    for state in MAIN_STATES:
        step = step_for_state(state)
        if step not in steps:
            steps.append(step)
    return [s for s in [*steps, CLOSED_STEP] if s in names]


@functools.lru_cache(maxsize=8)
def _layout_in(language: str) -> Layout:
    with translation.override(language or None):
        titles, edges = graph()
    main = _main_path(set(titles))
    row = {name: i for i, name in enumerate(main)}
    boxes: dict[str, Box] = {}
    main_x = MARGIN_LEFT
    for name in main:
        i = row[name]
        if name == "start":
            boxes[name] = Box(
                name, titles[name], "start", main_x + MAIN_W / 2 - START_R, 8, 2 * START_R, 2 * START_R
            )
        elif name == CLOSED_STEP:
            top = 8 + 2 * START_R + 28 + (i - 2) * ROW + BOX_H + 28
            boxes[name] = Box(
                name, titles[name], "end", main_x + MAIN_W / 2 - END_R, top, 2 * END_R, 2 * END_R
            )
        else:
            top = 8 + 2 * START_R + 28 + (i - 1) * ROW
            boxes[name] = Box(
                name, titles[name], "task", main_x, top, MAIN_W, BOX_H, _wrap(titles[name], MAIN_W - 12)
            )
    # Branches: beside the main steps they connect to (the mean of their rows), in that order, never
    # overlapping.
    side = [n for n in titles if n not in row]
    neighbours = {
        n: [
            row[a if b == n else b]
            for a, b in edges
            if n in (a, b) and (a if b == n else b) in row and CLOSED_STEP not in (a, b)
        ]
        for n in side
    }
    wanted = {n: (sum(v) / len(v) if v else len(main)) for n, v in neighbours.items()}
    side_x = main_x + MAIN_W + CHANNEL
    floor: float = 0.0
    for n in sorted(side, key=lambda n: (wanted[n], n)):
        side_top = max(floor, 8 + 2 * START_R + 28 + (wanted[n] - 1) * ROW)
        boxes[n] = Box(n, titles[n], "task", side_x, side_top, SIDE_W, BOX_H, _wrap(titles[n], SIDE_W - 12))
        floor = side_top + BOX_H + 12
    out = _route(edges, main, boxes)
    height = max(b.y + b.h for b in boxes.values()) + 16
    return Layout(WIDTH, height, boxes, out)


def _route(edges: list[tuple[str, str]], main: list[str], boxes: dict[str, Box]) -> list[Edge]:
    row = {name: i for i, name in enumerate(main)}
    routed: list[Edge] = []
    channel = [(a, b) for a, b in edges if (a in row) != (b in row) and CLOSED_STEP not in (a, b)]
    skips = [
        (a, b) for a, b in edges if a in row and b in row and abs(row[a] - row[b]) > 1 and b != CLOSED_STEP
    ]

    # Channel ports: on each box, its channel edges ordered by the other end's height (ties by a fixed
    # order of the pair), so both columns see the edges in the same order and straight lines never cross.
    def ports(name: str, side_edges: list[tuple[str, str]]) -> dict[tuple[str, str], float]:
        box = boxes[name]
        other = {e: (e[1] if e[0] == name else e[0]) for e in side_edges}
        ordered = sorted(side_edges, key=lambda e: (boxes[other[e]].cy, sorted(e), e))
        step = box.h / (len(ordered) + 1)
        return {e: box.y + step * (i + 1) for i, e in enumerate(ordered)}

    at: dict[tuple[str, tuple[str, str]], float] = {}
    for name in boxes:
        mine = [e for e in channel if name in e]
        for e, y in ports(name, mine).items():
            at[(name, e)] = y
    for a, b in channel:
        ax = boxes[a].x + boxes[a].w if a in row else boxes[a].x
        bx = boxes[b].x + boxes[b].w if b in row else boxes[b].x
        routed.append(Edge(a, b, [(ax, at[(a, (a, b))]), (bx, at[(b, (a, b))])], "side"))
    # Main path: straight down the middle of the column.
    for a, b in itertools.pairwise(main):
        if (a, b) in edges:
            routed.append(
                Edge(a, b, [(boxes[a].cx, boxes[a].y + boxes[a].h), (boxes[b].cx, boxes[b].y)], "main")
            )
    # Skips: lanes on the left, the longer further out; a lane's ends are on the boxes' left sides.
    for lane, (a, b) in enumerate(sorted(skips, key=lambda e: abs(row[e[0]] - row[e[1]]))):
        x: float = MARGIN_LEFT - 10 - lane * 8
        ya, yb = boxes[a].cy - 8 - lane * 4, boxes[b].cy + 8 + lane * 4
        if row[a] < row[b]:
            ya, yb = boxes[a].cy + 8 + lane * 4, boxes[b].cy - 8 - lane * 4
        routed.append(Edge(a, b, [(boxes[a].x, ya), (x, ya), (x, yb), (boxes[b].x, yb)], "skip"))
    # Branches to the end: an end mark under the step, at its right.
    for a, b in edges:
        if b == CLOSED_STEP and not (a in row and row[a] == row[CLOSED_STEP] - 1):
            box = boxes[a]
            x = float(box.x + box.w - 14)
            routed.append(Edge(a, b, [(x, box.y + box.h), (x, box.y + box.h + 14)], "end"))
    done = {(e.source, e.target) for e in routed}
    for a, b in edges:
        if (a, b) not in done:  # not expected for this flow: drawn straight, and the layout test would see it
            routed.append(Edge(a, b, [(boxes[a].cx, boxes[a].cy), (boxes[b].cx, boxes[b].cy)], "other"))
    return routed


def layout() -> Layout:
    return _layout_in(translation.get_language() or "")


def _statuses(process: Any) -> dict[str, str]:
    status: dict[str, str] = {}
    tasks = Task.objects.filter(process_id=process.pk).order_by("created", "pk")
    for node, task_status in tasks.values_list("flow_task", "status"):
        if node is not None and (node.name not in status or status[node.name] not in OPEN):
            status[node.name] = task_status
    return status


def svg(chart: Layout, status: dict[str, str]) -> str:
    parts = [
        f'<svg class="process-chart" xmlns="http://www.w3.org/2000/svg" width="{chart.width:.0f}" '
        f'height="{chart.height:.0f}" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" font-size="{FONT}">',
        '<defs><marker id="chart-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for e in chart.edges:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(e.points))
        if e.kind == "end":
            x, y = e.points[-1]
            parts.append(
                f'<path class="edge" d="{d}"/><circle class="end-mark" cx="{x:.1f}" cy="{y + MARK_R:.1f}" r="{MARK_R}"/>'
            )
        else:
            parts.append(f'<path class="edge edge-{e.kind}" d="{d}" marker-end="url(#chart-arrow)"/>')
    for box in chart.boxes.values():
        css = (status.get(box.name) or "").lower()
        parts.append(
            f'<g id="{box.name}" class="node {css}" data-node="{box.name}"><title>{escape(box.title)}</title>'
        )
        if box.shape == "start":
            parts.append(f'<circle class="event" cx="{box.cx:.1f}" cy="{box.cy:.1f}" r="{START_R}"/>')
        elif box.shape == "end":
            parts.append(f'<circle class="end-event" cx="{box.cx:.1f}" cy="{box.cy:.1f}" r="{END_R}"/>')
        else:
            parts.append(
                f'<rect class="task" x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="6"/>'
            )
            first = box.cy - (len(box.lines) - 1) * LINE / 2 + FONT * 0.35
            parts.append(f'<text class="align-middle" x="{box.cx:.1f}" y="{first:.1f}">')
            parts += [
                f'<tspan x="{box.cx:.1f}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                for i, line in enumerate(box.lines)
            ]
            parts.append("</text>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def process_svg(process: Any) -> SafeString:
    """The chart of the flow, each step coloured by the status of its latest task in `process`."""
    return mark_safe(svg(layout(), _statuses(process)))  # every text in it is escaped
