"""Pages of the emulation targets and their follow-up (mounted at /chi-tieu/)."""

from django.urls import path

from workflow.views import target_matrix, target_results, target_reviews

app_name = "targets"

urlpatterns = [
    path("", target_results.unit_results, name="unit_results"),
    path("bao-cao/", target_results.result_report, name="result_report"),
    path("ket-qua/<int:pk>/", target_results.result_detail, name="result_detail"),
    path("ket-qua/<int:pk>/<slug:name>/", target_results.result_action, name="result_action"),
    path("minh-chung/<int:pk>/", target_results.evidence_download, name="evidence_download"),
    path("theo-doi/", target_matrix.matrix_page, name="matrix"),
    path("theo-doi/xuat/", target_matrix.matrix_export, name="matrix_export"),
    path("so-ket/", target_reviews.review_page, name="review"),
    path("so-ket/xep-loai/<int:pk>/", target_reviews.unit_rating_confirm, name="unit_rating_confirm"),
    path("xep-loai-ca-nhan/", target_reviews.ratings_import_page, name="ratings_import"),
]
