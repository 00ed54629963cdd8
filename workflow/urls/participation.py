"""Pages of participation and transparency (mounted at /tham-gia/)."""

from django.urls import path

from workflow.views import participation as views

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("cong-khai/", views.notice_list, name="notices"),
    path("cong-khai/<int:nomination_id>/khieu-nai/", views.complaint_lodge, name="complaint_lodge"),
    path("khieu-nai/", views.complaint_list, name="complaints"),
    path("khieu-nai/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("dang-ky/", views.commitment_campaigns, name="commitments"),
    path("dang-ky/<int:campaign_id>/", views.commitment_status, name="commitment_status"),
    path("dang-ky/<int:campaign_id>/don-vi/", views.commitment_register, name="commitment_register"),
    path("uy-quyen/", views.delegation_list, name="delegations"),
    path("uy-quyen/<int:pk>/thu-hoi/", views.delegation_revoke, name="delegation_revoke"),
    path("qua-trinh-khen-thuong/", views.history_mine, name="history_mine"),
    path("qua-trinh-khen-thuong/can-bo/", views.history_index, name="history_index"),
    path("qua-trinh-khen-thuong/<int:person_id>/", views.history_person, name="history_person"),
    path("qua-trinh-khen-thuong/<int:person_id>/them/", views.history_add, name="history_add"),
    path("qua-trinh-khen-thuong/ban-ghi/<int:pk>/sua/", views.history_edit, name="history_edit"),
    path("qua-trinh-khen-thuong/ban-ghi/<int:pk>/xoa/", views.history_remove, name="history_remove"),
]
