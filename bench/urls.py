"""The product's URLs plus the floor endpoints (benchmark runs only)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from bench.floor import views
from config.urls import urlpatterns as product_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/page/", views.page, name="bench-floor-page"),
    path("bench/floor/ballot/", views.BallotView.as_view(), name="bench-floor-ballot"),
    *product_urlpatterns,
]
