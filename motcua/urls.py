"""Root URL configuration, and the routes of the dossier app itself."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thutuc.forms import LoginForm

from .views import health, notifications, public, staff

# Routes of the dossier app (namespace "motcua").
motcua_patterns = (
    [
        path("", staff.staff_home, name="staff_home"),
        path("thong-bao/", notifications.notification_list, name="notifications"),
        path("thong-bao/<int:pk>/da-doc/", notifications.notification_read, name="notification_read"),
        path("thong-bao/da-doc-tat-ca/", notifications.notification_read_all, name="notification_read_all"),
    ],
    "motcua",
)

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mot-cua/", include(motcua_patterns)),
    path("", include("thutuc.urls")),
    path("", include("khieunai.urls")),
    path("", include("baocao.urls")),
    path("quan-tri/", admin.site.urls),
]
