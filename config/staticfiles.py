"""Static files finders.

viewflow's Material frontend is not used (docs/decisions.md: our pages are plain server-rendered
templates), and its bundled CSS references font files the wheel does not ship, which makes
`collectstatic` with whitenoise's manifest storage fail. So its apps' static files are not collected.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.staticfiles.finders import AppDirectoriesFinder

NOT_COLLECTED = frozenset({"viewflow", "viewflow.workflow"})


class AppDirectoriesFinderWithoutViewflow(AppDirectoriesFinder):
    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        if app_names is None:
            app_names = [config.name for config in apps.get_app_configs() if config.name not in NOT_COLLECTED]
        super().__init__(app_names, *args, **kwargs)
