"""Pages of the emulation targets and their follow-up (mounted at /chi-tieu/)."""

from django.urls import path

from workflow.views import targets as views

app_name = "targets"

urlpatterns = [
    path("", views.unit_results, name="unit_results"),
    path("bao-cao/", views.result_report, name="result_report"),
    path("ket-qua/<int:pk>/", views.result_detail, name="result_detail"),
    path("ket-qua/<int:pk>/<slug:name>/", views.result_action, name="result_action"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("theo-doi/", views.matrix_page, name="matrix"),
    path("theo-doi/xuat/", views.matrix_export, name="matrix_export"),
    path("so-ket/", views.review_page, name="review"),
    path("so-ket/xep-loai/<int:pk>/", views.unit_rating_confirm, name="unit_rating_confirm"),
    path("xep-loai-ca-nhan/", views.ratings_import_page, name="ratings_import"),
]
