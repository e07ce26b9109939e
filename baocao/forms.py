import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from thutuc.accounts.visibility import sees_everything

from . import ii06a
from .models import QuarterlyReport, RequestKind
from .periods import Period, custom_period, month_period, quarter_of, quarter_period, year_period
from .selectors import agency_scope, report_agency_role, reporting_agency_for, statistics_agencies

QUARTERS = [(1, _("Quý I")), (2, _("Quý II")), (3, _("Quý III")), (4, _("Quý IV"))]


def current_quarter() -> tuple[int, int]:
    return quarter_of(timezone.localdate())


class QuarterForm(forms.Form):
    year = dates.YearField(label=_("Năm"))
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int)

    @classmethod
    def from_query(cls, data) -> "QuarterForm":
        """The quarter asked for in the query string, or the current one (always valid)."""
        year, quarter = current_quarter()
        form = cls({"year": data.get("year") or year, "quarter": data.get("quarter") or quarter})
        if not form.is_valid():
            form = cls({"year": year, "quarter": quarter})
            form.is_valid()
        return form


class StatisticsForm(forms.Form):
    """Parameters of the II.06a table and of its drill-down (both read the same GET keys)."""

    PERIOD_KINDS = [("quarter", _("Quý")), ("year", _("Năm")), ("custom", _("Khoảng ngày tùy chọn"))]
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_KINDS, initial="quarter")
    year = dates.YearField(label=_("Năm"), required=False)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, required=False)
    date_from = dates.RangeDateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = dates.RangeDateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    grouping = forms.ChoiceField(
        label=_("Theo"), choices=[("field", _("Lĩnh vực")), ("unit", _("Đơn vị"))], initial="field"
    )
    role = forms.ChoiceField(
        label=_("Tính cho"),
        choices=[
            ("competent", _("Cơ quan, đơn vị trực tiếp giải quyết")),
            ("receiving", _("Nơi tiếp nhận (Trung tâm Phục vụ hành chính công, Bộ phận Một cửa)")),
        ],
        initial=ii06a.DEFAULT_AGENCY_ROLE,
    )

    def __init__(self, data, *, user, **kwargs):
        if not data.get("kind"):
            year, quarter = current_quarter()
            own = reporting_agency_for(user)
            defaults = {
                "kind": "quarter",
                "year": year,
                "quarter": quarter,
                "grouping": "field",
                "role": ii06a.DEFAULT_AGENCY_ROLE,
            }
            if own is not None and not sees_everything(user):
                defaults["agency"] = own.pk
                # a one-stop centre reads what it received
                defaults["role"] = report_agency_role(own)
            data = {**defaults, **{k: v for k, v in data.items() if v}}
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["agency"].queryset = statistics_agencies(user)
        self.fields["agency"].empty_label = _("Toàn tỉnh") if sees_everything(user) else None
        if not sees_everything(user):
            self.fields["agency"].required = True

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in ("quarter", "year") and not data.get("year"):
            self.add_error("year", _("Chọn năm."))
        if kind == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Chọn quý."))
        if kind == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if not start:
                self.add_error("date_from", _("Nhập ngày bắt đầu."))
            if not end:
                self.add_error("date_to", _("Nhập ngày kết thúc."))
            if start and end and end < start:
                self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
            if start and end and end - start > dt.timedelta(days=3 * 366):
                self.add_error("date_to", _("Khoảng thời gian tối đa 3 năm."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == "quarter":
            return quarter_period(data["year"], data["quarter"])
        if data["kind"] == "year":
            return year_period(data["year"])
        return custom_period(data["date_from"], data["date_to"])

    def scope(self) -> ii06a.Scope:
        return agency_scope(self.cleaned_data.get("agency"), agency_role=self.cleaned_data["role"])


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = QuarterlyReport
        fields = ["results", "shortcomings", "causes", "proposals"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class CreateReportForm(QuarterForm):
    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("quarter"):
            period = quarter_period(data["year"], data["quarter"])
            if period.start > timezone.localdate():
                raise ValidationError(_("Kỳ báo cáo này chưa bắt đầu."))
        return data


MONTHS = [(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)]


class IndexPeriodForm(forms.Form):
    """The period of the service index and of the public dashboard: a calendar month (as the
    national portal publishes the index), a quarter or a year (NĐ 09/2019 periods). Missing
    keys default to the previous month; a bad value is a form error, never a 500."""

    PERIOD_KINDS = [("month", _("Tháng")), ("quarter", _("Quý")), ("year", _("Năm"))]
    kind = forms.ChoiceField(label=_("Kỳ"), choices=PERIOD_KINDS, initial="month")
    year = dates.YearField(label=_("Năm"))
    month = forms.TypedChoiceField(label=_("Tháng"), choices=MONTHS, coerce=int, required=False)
    quarter = forms.TypedChoiceField(label=_("Quý"), choices=QUARTERS, coerce=int, required=False)

    def __init__(self, data, **kwargs):
        today = timezone.localdate()
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        defaults = {"kind": "month", "year": last_month.year, "month": last_month.month}
        data = {
            **defaults,
            **{k: v for k, v in data.items() if k in ("kind", "year", "month", "quarter") and v},
        }
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "month" and not data.get("month"):
            self.add_error("month", _("Chọn tháng."))
        if data.get("kind") == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Chọn quý."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == "month":
            return month_period(data["year"], data["month"])
        if data["kind"] == "quarter":
            return quarter_period(data["year"], data["quarter"])
        return year_period(data["year"])

    def query(self) -> dict:
        data = self.cleaned_data
        params = {"kind": data["kind"], "year": data["year"]}
        if data["kind"] == "month":
            params["month"] = data["month"]
        if data["kind"] == "quarter":
            params["quarter"] = data["quarter"]
        return params


class LatenessForm(StatisticsForm):
    """Parameters of "late steps by unit / by officer": the statistics page's period and
    agency (a quarter by default), grouped by the unit or the officer the step was given to."""

    grouping = forms.ChoiceField(
        label=_("Theo"), choices=[("unit", _("Đơn vị")), ("officer", _("Cán bộ"))], initial="unit"
    )
    role = None

    def __init__(self, data, *, user, **kwargs):
        data = {k: v for k, v in data.items()}
        if data.get("grouping") not in ("unit", "officer"):
            data["grouping"] = "unit"
        own = reporting_agency_for(user)
        if not data.get("agency") and own is not None and not sees_everything(user):
            data["agency"] = own.pk  # a leader reads their own agency
        super().__init__(data, user=user, **kwargs)

    def agency_ids(self) -> frozenset[int] | None:
        from .selectors import agency_tree_ids

        agency = self.cleaned_data.get("agency")
        return None if agency is None else agency_tree_ids(agency.pk)


class ReportRequestForm(forms.Form):
    """Sở Nội vụ asks chosen units for a report: a periodic one of the calendar (its period
    from NĐ 09/2019 Điều 12, its due date by default day REPORT_DEADLINE_DAY of the period's
    last month) or an ad-hoc one with its own due date."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=RequestKind.choices, initial=RequestKind.AD_HOC)
    year = dates.YearField(label=_("Năm (báo cáo định kỳ)"), required=False)
    number = forms.IntegerField(
        label=_("Tháng hoặc 6 tháng đầu (1) / cuối (2) năm"), min_value=1, max_value=12, required=False
    )
    title = forms.CharField(label=_("Tên báo cáo"), max_length=255)
    content = forms.CharField(
        label=_("Nội dung yêu cầu"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )
    due_date = dates.RangeDateField(
        label=_("Hạn gửi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được yêu cầu"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import reporting_agencies

        self.fields["agencies"].queryset = reporting_agencies()

    def clean(self):
        from .requests import calendar_period, default_due_date

        data = super().clean()
        kind = data.get("kind")
        self.period = None
        if kind and kind != RequestKind.AD_HOC:
            if not data.get("year"):
                self.add_error("year", _("Chọn năm của kỳ báo cáo."))
                return data
            number = data.get("number")
            if kind == RequestKind.MONTHLY and not number:
                self.add_error("number", _("Nhập tháng (1–12)."))
                return data
            if kind == RequestKind.HALF_YEARLY and number not in (1, 2):
                self.add_error("number", _("Nhập 1 (6 tháng đầu năm) hoặc 2 (6 tháng cuối năm)."))
                return data
            self.period = calendar_period(kind, data["year"], number)
            data["due_date"] = data.get("due_date") or default_due_date(self.period)
        elif kind == RequestKind.AD_HOC and not data.get("due_date"):
            self.add_error("due_date", _("Nhập hạn gửi báo cáo đột xuất."))
        return data


class RequestAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
