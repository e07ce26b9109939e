"""The feedback history in the admin: read-only, superusers only (see motcua/admin.py)."""

from django.contrib import admin

from core.admin_readonly import SuperuserOnlyAdmin

from .models import FeedbackEvent


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(SuperuserOnlyAdmin):
    list_display = ["at", "feedback", "action", "status_before", "status_after", "actor"]
    list_filter = ["action"]
    search_fields = ["feedback__code"]
    list_select_related = ["feedback", "actor"]
    date_hierarchy = "at"
    show_full_result_count = False
