from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .accounts.admin_permissions import GroupAdmin as PermissionNamesGroupAdmin
from .accounts.forms import AdminLoginForm
from .models import Agency, User

admin.site.login_form = AdminLoginForm
admin.site.site_header = _("Quản trị cổng một cửa")
admin.site.site_title = _("Quản trị cổng một cửa")
admin.site.index_title = _("Danh mục và người dùng")


class SuperuserWritesOnly:
    """Accounts, roles and permissions are managed by a superuser only (the province's IT).

    Any other staff account, whatever permissions its roles hold, may at most *view* them:
    with `change_user` a catalogue admin could add a role to its own account, give itself
    another agency, or set an officer's password and log in as them; with `change_group` it
    could add permissions to a role it holds (issue 14 §1). A role therefore never grants
    what it does not hold: only a superuser, who holds everything, grants anything."""

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "hotline", "is_home_affairs", "is_active")
    list_filter = ("level", "is_home_affairs", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # The tree decides who sees whose data (thutuc.accounts.visibility): moving an agency under
        # another gives the new parent's staff its dossiers. A superuser moves agencies;
        # the catalogue admin edits their data and adds new ones.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            readonly.append("parent")
        return readonly


@admin.register(User)
class UserAdmin(SuperuserWritesOnly, BaseUserAdmin):
    list_display = ("username", "full_name", "agency", "position", "is_active")
    list_filter = ("groups", "is_active", "agency__level")
    search_fields = ("username", "full_name", "email", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "email", "phone", "agency", "position")}),
        (
            _("Vai trò và quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "agency", "password1", "password2")},
        ),
    )


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(SuperuserWritesOnly, PermissionNamesGroupAdmin):
    """The roles (thutuc/accounts/roles.py lists each one's permissions; a migrate puts them back),
    their permissions listed by Vietnamese names."""


from . import admin_calendar  # noqa: E402, F401  (registers the working-calendar admin)
from .catalogue import admin as catalogue_admin  # noqa: E402, F401  (registers the catalogue admin)
