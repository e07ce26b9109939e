"""Admin of the working-calendar overrides (imported from thutuc/admin.py)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core import dates

from .calendar import national_holiday_name
from .models import CalendarDay
from .models.calendar import WEEKDAY_NAMES
from .services import calendar_day_delete, calendar_day_save, calendar_days_delete


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = (
            CalendarDay.objects.annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        # Read through the year field of the plausible range: `?nam=99999999999999999999`
        # overflowed the database integer (500, issue 14 §5); a year outside it shows all.
        field = dates.YearField(required=False)
        try:
            year = field.clean(self.value())
        except ValidationError:
            year = None
        return queryset.filter(date__year=year) if year else queryset


class ScopeFilter(admin.SimpleListFilter):
    title = _("phạm vi")
    parameter_name = "pham_vi"

    def lookups(self, request, model_admin):
        return [("chung", _("Chung cho mọi cơ quan")), ("rieng", _("Riêng một cơ quan"))]

    def queryset(self, request, queryset):
        if self.value() == "chung":
            return queryset.filter(agency__isnull=True)
        if self.value() == "rieng":
            return queryset.filter(agency__isnull=False)
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = (
        "date_display",
        "weekday",
        "kind",
        "scope",
        "reason",
        "legal_document",
        "holiday",
        "imported",
    )
    list_display_links = ("date_display",)
    list_filter = (YearFilter, "kind", ScopeFilter, "imported", "agency")
    search_fields = ("reason", "legal_document", "agency__name")
    date_hierarchy = "date"
    ordering = ("-date",)
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    readonly_fields = ("imported", "created_at")
    fields = ("date", "kind", "agency", "reason", "legal_document", "imported", "created_at")
    list_per_page = 100

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "date":  # a day typed by a person: the plausible range (issue 14 §2)
            field.validators.append(dates.check_in_range)
        return field

    @admin.display(description=_("ngày"), ordering="date")
    def date_display(self, obj):
        return f"{obj.date:%d/%m/%Y}"

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return WEEKDAY_NAMES[obj.date.weekday()]

    @admin.display(description=_("áp dụng cho"), ordering="agency__name")
    def scope(self, obj):
        return obj.agency or _("Mọi cơ quan")

    @admin.display(description=_("ngày lễ theo gói holidays"))
    def holiday(self, obj):
        return national_holiday_name(obj.date) or "–"

    def save_model(self, request, obj, form, change):
        if change and {"date", "kind"} & set(form.changed_data):
            obj.imported = False  # an admin's decision from now on
        calendar_day_save(day=obj, actor=request.user)

    def delete_model(self, request, obj):
        calendar_day_delete(day=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        calendar_days_delete(days=queryset, actor=request.user)
