"""The statistics of TT 02/2023/TT-BNV: /thong-ke/ (the page) and its downloads."""

from __future__ import annotations

from django.urls import path

from workflow.views import statistics as views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics_home, name="home"),
    path("<str:code>/<int:year>/tai-ve.<str:fmt>", views.statistics_download, name="download"),
]
