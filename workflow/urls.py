from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflow.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("hoi-dong/", include("workflow.council_urls")),
    path("quyet-dinh/", include("workflow.decisions_urls")),
    path("tham-gia/", include("workflow.participation_urls")),
]
