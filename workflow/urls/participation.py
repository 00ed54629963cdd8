"""Pages of participation and transparency (mounted at /tham-gia/)."""

from django.urls import path

from workflow.views import award_history, commitments, complaints, delegations, participation

app_name = "participation"

urlpatterns = [
    path("", participation.index, name="index"),
    path("cong-khai/", participation.notice_list, name="notices"),
    path("cong-khai/<int:nomination_id>/khieu-nai/", complaints.complaint_lodge, name="complaint_lodge"),
    path("khieu-nai/", complaints.complaint_list, name="complaints"),
    path("khieu-nai/<int:pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("dang-ky/", commitments.commitment_campaigns, name="commitments"),
    path("dang-ky/<int:campaign_id>/", commitments.commitment_status, name="commitment_status"),
    path("dang-ky/<int:campaign_id>/don-vi/", commitments.commitment_register, name="commitment_register"),
    path("uy-quyen/", delegations.delegation_list, name="delegations"),
    path("uy-quyen/<int:pk>/thu-hoi/", delegations.delegation_revoke, name="delegation_revoke"),
    path("qua-trinh-khen-thuong/", award_history.history_mine, name="history_mine"),
    path("qua-trinh-khen-thuong/can-bo/", award_history.history_index, name="history_index"),
    path("qua-trinh-khen-thuong/<int:person_id>/", award_history.history_person, name="history_person"),
    path("qua-trinh-khen-thuong/<int:person_id>/them/", award_history.history_add, name="history_add"),
    path("qua-trinh-khen-thuong/ban-ghi/<int:pk>/sua/", award_history.history_edit, name="history_edit"),
    path("qua-trinh-khen-thuong/ban-ghi/<int:pk>/xoa/", award_history.history_remove, name="history_remove"),
]
