"""The admin of staff accounts and roles (read only for everyone but a superuser), and the
access log of personal data (superusers, and staff accounts holding `thutuc.view_accesslog`
— the leaders' role — for the agencies they see)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import ReadOnlyAdmin

from ..models import AccessLog, User
from .admin_permissions import GroupAdmin as PermissionNamesGroupAdmin
from .visibility import ALL, visible_agency_ids


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
    """The roles (each app's permissions.py gives each its permissions; a migrate puts them back),
    their permissions listed by Vietnamese names."""


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "object_type", "object_ref", "label", "row_count", "agency"]
    list_filter = ["action", "object_type", ("user", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["object_ref", "username"]
    list_select_related = ["agency"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = visible_agency_ids(request.user)
        if request.user.is_superuser or ids is ALL:
            return queryset
        # A leader audits the accesses to their agencies' data and those by their own staff.
        return queryset.filter(Q(agency_id__in=ids or ()) | Q(user__agency_id__in=ids or ()))
