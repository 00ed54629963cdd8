"""Pages of certificates and signatures: /giay-khen/…"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from workflow.views import certificates as views

app_name = "certificates"

urlpatterns: list[URLPattern | URLResolver] = [
    path("xac-minh/<str:code>/", views.verify_certificate, name="verify"),
    path("ho-so/<int:pk>/giay-khen.pdf", views.nomination_certificate, name="nomination"),
    path("quyet-dinh/<int:pk>/giay-khen.pdf", views.decision_certificates, name="decision"),
    path("can-chinh/", views.calibration, name="calibration"),
    path("can-chinh/mau.pdf", views.calibration_sheet, name="calibration_sheet"),
    path("kiem-tra-chu-ky/", views.verify_signature, name="verify_signature"),
]
