"""API: audit (see ../shared/docs/API.md)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Register this area's viewsets on the API's one router."""
