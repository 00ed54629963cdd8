from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflow.views import (
    audit,
    council_member,
    dashboard,
    director,
    home,
    navigation,
    nominations,
    submissions,
    tasks,
)
from workflow.views.login_forms import LoginForm

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("viec/", tasks.my_tasks, name="my_tasks"),
    path("viec/<int:pk>/nhan/", tasks.task_assign, name="task_assign"),
    path("viec/<int:pk>/tra-lai/", tasks.task_unassign, name="task_unassign"),
    path("ho-so/", nominations.nomination_list, name="nomination_list"),
    path("ho-so/moi/", nominations.nomination_create, name="nomination_create"),
    path("ho-so/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("ho-so/<int:pk>/sua/", nominations.nomination_edit, name="nomination_edit"),
    path("ho-so/<int:pk>/tai-lieu/", nominations.dossier_file_add, name="dossier_file_add"),
    path(
        "ho-so/<int:pk>/tai-lieu/<int:file_pk>/",
        nominations.dossier_file_download,
        name="dossier_file_download",
    ),
    path(
        "ho-so/<int:pk>/tai-lieu/<int:file_pk>/xoa/",
        nominations.dossier_file_remove,
        name="dossier_file_remove",
    ),
    path("ho-so/<int:pk>/thao-tac/<slug:name>/", nominations.nomination_action, name="nomination_action"),
    path("ho-so-don-vi/", submissions.submission_list, name="submission_list"),
    path("ho-so-don-vi/mau-danh-sach.xlsx", submissions.submission_template, name="submission_template"),
    path("ho-so-don-vi/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("ho-so-don-vi/<int:pk>/them/", submissions.submission_add_row, name="submission_add_row"),
    path(
        "ho-so-don-vi/<int:pk>/bo/<int:nomination_pk>/",
        submissions.submission_remove_row,
        name="submission_remove_row",
    ),
    path("ho-so-don-vi/<int:pk>/tai-lieu/", submissions.submission_files_add, name="submission_files_add"),
    path(
        "ho-so-don-vi/<int:pk>/tai-lieu/<int:file_pk>/",
        submissions.submission_file_download,
        name="submission_file_download",
    ),
    path(
        "ho-so-don-vi/<int:pk>/tai-lieu/<int:file_pk>/xoa/",
        submissions.submission_file_remove,
        name="submission_file_remove",
    ),
    path(
        "ho-so-don-vi/<int:pk>/nhap/", submissions.submission_import_preview, name="submission_import_preview"
    ),
    path(
        "ho-so-don-vi/<int:pk>/nhap/xac-nhan/",
        submissions.submission_import_commit,
        name="submission_import_commit",
    ),
    path("ho-so-don-vi/<int:pk>/gui/", submissions.submission_submit, name="submission_submit"),
    path("ho-so-don-vi/<int:pk>/tra-lai/", submissions.submission_return, name="submission_return"),
    path("theo-doi/", dashboard.dashboard, name="dashboard"),
    path("cuc-truong/", director.director_queue, name="director_queue"),
    path("hoi-dong-cua-toi/", council_member.my_sessions, name="my_sessions"),
    path("nhat-ky/", audit.audit_log, name="audit_log"),
    path("menu/so-viec/", navigation.nav_counts, name="nav_counts"),
    path("hoi-dong/", include("workflow.urls.council")),
    path("quyet-dinh/", include("workflow.urls.decisions")),
    path("tham-gia/", include("workflow.urls.participation")),
    path("chi-tieu/", include("workflow.urls.targets")),
    path("thong-ke/", include("workflow.urls.statistics")),
    path("giay-khen/", include("workflow.urls.certificates")),  # (certsign)
]
