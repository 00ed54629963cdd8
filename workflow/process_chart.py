"""The process chart of one nomination, drawn by viewflow: every step, coloured by what happened."""

from __future__ import annotations

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
    return mark_safe(chart.grid_to_svg(grid))
