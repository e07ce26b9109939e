"""Read-only admin pages of the append-only models: the dossier history (superusers) and
the access log of personal data (superusers, and staff accounts holding
`motcua.view_accesslog` — the leaders' role — for the agencies they see)."""

from django.contrib import admin
from django.db.models import Q

from thutuc.access import ALL, visible_agency_ids

from .models import AccessLog, DossierEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes through the admin, superusers included: the change
    page shows the row read-only and a POST to it, the add or the delete page is a 403."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An append-only history shown inline under its parent: read-only rows only."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyAdmin(ReadOnlyAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(DossierEvent)
class DossierEventAdmin(SuperuserOnlyAdmin):
    list_display = ["at", "dossier", "action", "status_before", "status_after", "actor"]
    list_filter = ["action"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "actor"]
    date_hierarchy = "at"
    show_full_result_count = False


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
