"""The process chart of one nomination, drawn by viewflow: every step, coloured by what happened."""

from __future__ import annotations

import re
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from viewflow.workflow import STATUS, chart
from viewflow.workflow.models import Task

from workflow.flows import NominationChartFlow

OPEN = {STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED}


def process_svg(process: Any) -> SafeString:
    """viewflow's SVG of the flow, each step coloured by the status of its latest task in `process`."""
    grid = chart.calc_layout_data(NominationChartFlow)
    status: dict[str, str] = {}
    tasks = Task.objects.filter(process_id=process.pk).order_by("created", "pk")
    for node, task_status in tasks.values_list("flow_task", "status"):
        if node is not None and (node.name not in status or status[node.name] not in OPEN):
            status[node.name] = task_status
    for cell in grid.cells:
        cell.status = status.get(cell.node.name)
    return mark_safe(legible(chart.grid_to_svg(grid)))


_STYLE_ELEMENT = re.compile(r"<style\b.*?</style>", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')
_SIZE = re.compile(r'<svg([^>]*?)\swidth="100%"\s+height="100%"\s+viewBox="0 0 (\d+) (\d+)"')


def legible(svg: str) -> str:
    """viewflow's SVG made legible and CSP-clean.

    viewflow scales its chart (2000+ units wide, 12 px text) to the width of its box: on a page that is
    ~6 px text, on a phone ~2 px. Drawn at its own size instead, inside a box that scrolls (app.css
    `.chart`), the text stays at 12 px. Its <style> element and style attributes are refused by our
    Content Security Policy; app.css styles the same classes.
    """
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub("", svg)
    return _SIZE.sub(r'<svg\1 width="\2" height="\3" viewBox="0 0 \2 \3"', svg, count=1)
