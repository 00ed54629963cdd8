"""Pages of the council area (under /hoi-dong/)."""

from django.urls import URLPattern, URLResolver, path

from workflow.views import council, council_member

app_name = "council"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", council.session_list, name="list"),
    path("lap-phien-hop/", council.session_create, name="create"),
    path("<int:pk>/", council.session_detail, name="detail"),
    path("<int:pk>/khai-mac/", council.session_open, name="open"),
    path("<int:pk>/ket-thuc/", council.session_close, name="close"),
    path("<int:pk>/noi-dung/", council.agenda_add, name="agenda_add"),
    path("<int:pk>/diem-danh/", council.attendance_record, name="attendance"),
    path("<int:pk>/phieu-cua-toi/", council_member.vote, name="vote"),
    path("<int:pk>/phieu-cua-toi/xem-lai/", council_member.vote_review, name="vote_review"),
    path("<int:pk>/bo-phieu/", council_member.ballot_cast, name="ballot"),
    path("<int:pk>/bien-nhan/", council_member.receipts, name="receipts"),
    path("<int:pk>/phieu-van-ban/", council.written_ballot, name="written_ballot"),
    path("<int:pk>/chu-tich-quyet-dinh/", council.tie_break, name="tie_break"),
    path("<int:pk>/bien-ban.docx", council.minutes_download, name="minutes"),
]
