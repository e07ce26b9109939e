"""The report history in the admin: read-only, superusers only (see motcua/admin.py)."""

from django.contrib import admin

from motcua.admin import SuperuserOnlyAdmin

from .models import ReportEvent


@admin.register(ReportEvent)
class ReportEventAdmin(SuperuserOnlyAdmin):
    list_display = ["at", "report", "action", "status_before", "status_after", "actor"]
    list_filter = ["action"]
    search_fields = ["report__agency__name"]
    list_select_related = ["report__agency", "actor"]
    date_hierarchy = "at"
    show_full_result_count = False
