"""Pages of the council area (under /hoi-dong/)."""

from django.urls import URLPattern, URLResolver, path

from workflow.views import council, council_member

urlpatterns: list[URLPattern | URLResolver] = [
    path("", council.session_list, name="council-list"),
    path("lap-phien-hop/", council.session_create, name="council-create"),
    path("<int:pk>/", council.session_detail, name="council-detail"),
    path("<int:pk>/khai-mac/", council.session_open, name="council-open"),
    path("<int:pk>/ket-thuc/", council.session_close, name="council-close"),
    path("<int:pk>/noi-dung/", council.agenda_add, name="council-agenda-add"),
    path("<int:pk>/diem-danh/", council.attendance_record, name="council-attendance"),
    path("<int:pk>/phieu-cua-toi/", council_member.vote, name="council-vote"),
    path("<int:pk>/phieu-cua-toi/xem-lai/", council_member.vote_review, name="council-vote-review"),
    path("<int:pk>/bo-phieu/", council_member.ballot_cast, name="council-ballot"),
    path("<int:pk>/bien-nhan/", council_member.receipts, name="council-receipts"),
    path("<int:pk>/phieu-van-ban/", council.written_ballot, name="council-written-ballot"),
    path("<int:pk>/chu-tich-quyet-dinh/", council.tie_break, name="council-tie-break"),
    path("<int:pk>/bien-ban.docx", council.minutes_download, name="council-minutes"),
]
