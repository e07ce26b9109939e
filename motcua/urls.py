"""Root URL configuration, and the routes of the dossier app itself."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thutuc.forms import LoginForm

from .views import health, public, rating, staff, tracking

# Routes of the dossier app (namespace "motcua").
motcua_patterns = (
    [
        path("", staff.staff_home, name="staff_home"),
        path("ho-so/<str:code>/danh-gia/", rating.rating_on_behalf, name="rating_on_behalf"),
    ],
    "motcua",
)

# Public routes of the dossier app, at the root but in the same "motcua" namespace.
motcua_public_patterns = [
    path("tra-cuu/", tracking.tracking, name="tracking"),
    path("tra-cuu/danh-gia/", tracking.tracking_rate, name="tracking_rate"),
]

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
    path(
        "",
        include(
            ([*motcua_public_patterns, path("mot-cua/", include(motcua_patterns[0]))], motcua_patterns[1])
        ),
    ),
    path("", include("thutuc.urls")),
    path("", include("khieunai.urls")),
    path("", include("baocao.urls")),
    path("quan-tri/", admin.site.urls),
]
