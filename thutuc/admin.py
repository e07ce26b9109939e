from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import Agency, User

admin.site.login_form = AdminLoginForm
admin.site.site_header = _("Quản trị cổng một cửa")
admin.site.site_title = _("Quản trị cổng một cửa")
admin.site.index_title = _("Danh mục và người dùng")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "hotline", "is_home_affairs", "is_active")
    list_filter = ("level", "is_home_affairs", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "agency", "position", "is_active")
    list_filter = ("groups", "is_active", "agency__level")
    search_fields = ("username", "full_name", "email", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "email", "phone", "agency", "position")}),
        (_("Vai trò và quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )

    # A superuser's account is changed or deleted by a superuser only: otherwise a catalogue
    # admin (change_user) could set its password and log in as it. Viewing stays allowed.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may hand out superuser rights or per-user permissions.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "agency", "password1", "password2")},
        ),
    )


# Registered by importing: the working-calendar admin, the group admin's permissions in
# Vietnamese, the catalogue admin.
from . import admin_calendar, admin_permissions  # noqa: E402, F401
from .catalogue import admin as catalogue_admin  # noqa: E402, F401  (registers the catalogue admin)
