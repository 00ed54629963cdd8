"""Pages of the decisions area: /quyet-dinh/…"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from workflow.views import decisions as views

app_name = "decisions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.decisions_home, name="home"),
    path("ban-hanh/", views.decision_issue, name="issue"),
    path("ho-so/<int:nomination_pk>/khong-khen-thuong/", views.nomination_decline, name="decline"),
    path("<int:pk>/", views.decision_detail, name="decision"),
    path("<int:pk>/huy-bo/<int:nomination_pk>/", views.decision_revoke, name="revoke"),
    path("<int:pk>/tai-ve.<str:fmt>", views.decision_download, name="decision_download"),
    path("trinh-cap-tren/", views.forwarding_home, name="forwarding"),
    path("trinh-cap-tren/lap/", views.submission_create, name="submission_create"),
    path("trinh-cap-tren/<int:pk>/", views.submission_detail, name="submission"),
    path("trinh-cap-tren/<int:pk>/ket-qua/<int:nomination_pk>/", views.submission_outcome, name="outcome"),
    path("trinh-cap-tren/<int:pk>/tai-ve.<str:fmt>", views.submission_download, name="submission_download"),
    path("bao-cao/", views.reports_home, name="reports"),
    path("bao-cao/lap/", views.report_create, name="report_create"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report"),
    path("bao-cao/<int:pk>/ban-hanh/", views.report_issue, name="report_issue"),
    path("bao-cao/<int:pk>/tai-ve.<str:fmt>", views.report_download, name="report_download"),
]
