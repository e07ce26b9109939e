"""Admin of the catalogue (/quan-tri/) for the "Quản trị danh mục" role.

Django's admin has no nested inlines, so a procedure is edited on two levels:
- the procedure page: its data and its cases (time, unit, cut-off) inline, each case row
  linking to
- the case page: the case's papers, fees and routing steps inline, validated together
  (the steps must add up to the case's time).
Adding a procedure with one case lands straight on that case's page after saving, so a
single-case procedure takes no extra click. Excel import (with preview) and export are
buttons on the procedure list.
"""

from __future__ import annotations

import os
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from core.xlsx import FormulaInFile

from ..models import (
    CaseChannel,
    Field,
    ImportJob,
    ImportJobStatus,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureLevel,
    ProcedureStep,
)
from ..models.catalogue import levels_value
from . import jobs
from .resources import CatalogueResource, CatalogueXLSX
from .rules import validate_step_allotments
from .selectors import procedure_search
from .upload_check import validate_form_template, validate_import_file

TEMP_NAME_RE = re.compile(r"tmp[a-z0-9_]{8}")


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "procedure_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_procedures=Count("procedures"))

    @admin.display(description=_("số thủ tục"), ordering="n_procedures")
    def procedure_count(self, obj):
        return obj.n_procedures


class CaseInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Unchanged blank extra forms have empty cleaned_data; deleted rows say DELETE.
        alive = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not alive:
            raise ValidationError(
                _("Thủ tục phải có ít nhất một trường hợp (thời hạn giải quyết, thành phần hồ sơ).")
            )
        orders = [f.cleaned_data.get("order") for f in alive if f.cleaned_data]
        if len(orders) != len(set(orders)):
            raise ValidationError(_("Hai trường hợp không được trùng số thứ tự."))


class CaseInlineForm(forms.ModelForm):
    class Meta:
        model = ProcedureCase
        fields = ("order", "name", "is_active", "processing_time", "processing_unit", "cutoff_time")

    def clean(self):
        cleaned = super().clean()
        # Changing the time here must keep the existing routing steps consistent.
        if self.instance.pk and cleaned.get("processing_time") is not None and cleaned.get("processing_unit"):
            steps = list(self.instance.steps.values_list("allotted_time", "allotted_unit"))
            try:
                validate_step_allotments(cleaned["processing_time"], cleaned["processing_unit"], steps)
            except ValidationError as exc:
                raise ValidationError(
                    [*exc.messages, _("Hãy sửa thời hạn cùng quy trình xử lý trong trang của trường hợp.")]
                ) from exc
        return cleaned


class CaseInline(admin.TabularInline):
    model = ProcedureCase
    form = CaseInlineForm
    formset = CaseInlineFormSet
    fields = ("order", "name", "is_active", "processing_time", "processing_unit", "cutoff_time", "details")
    readonly_fields = ("details",)
    extra = 0
    min_num = 1

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_documents=Count("documents", distinct=True), n_fees=Count("fees", distinct=True))
            .annotate(n_steps=Count("steps", distinct=True))
        )

    @admin.display(description=_("thành phần hồ sơ, phí, quy trình"))
    def details(self, obj):
        if not obj.pk:
            return _("Lưu thủ tục trước, rồi nhập thành phần hồ sơ, phí và quy trình.")
        url = reverse("admin:thutuc_procedurecase_change", args=[obj.pk])
        return format_html(
            '<a href="{}">{} giấy tờ · {} phí, lệ phí · {} bước — sửa</a>',
            url,
            getattr(obj, "n_documents", obj.documents.count()),
            getattr(obj, "n_fees", obj.fees.count()),
            getattr(obj, "n_steps", obj.steps.count()),
        )


class ProcedureForm(forms.ModelForm):
    """`levels` is a set of levels, stored comma-separated: ticked as checkboxes."""

    levels = forms.MultipleChoiceField(
        label=_("Cấp thực hiện"), choices=ProcedureLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    source_url = forms.URLField(
        label=_("Đường dẫn trên Cơ sở dữ liệu quốc gia"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    # No Meta: the admin builds it (model, fields from the fieldsets).

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["levels"] = self.instance.level_list

    def clean_levels(self):
        return levels_value(self.cleaned_data["levels"])


class LevelFilter(admin.SimpleListFilter):
    title = _("cấp thực hiện")
    parameter_name = "cap"

    def lookups(self, request, model_admin):
        return ProcedureLevel.choices

    def queryset(self, request, queryset):
        if self.value() in ProcedureLevel.values:
            return queryset.filter(levels__contains=self.value())
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(ImportMixin, admin.ModelAdmin):
    form = ProcedureForm
    list_display = (
        "code",
        "name",
        "field",
        "levels_display",
        "online_level",
        "case_count",
        "is_active",
        "is_sample",
    )
    list_display_links = ("code", "name")
    list_filter = (
        "field",
        LevelFilter,
        ("receiving_agencies", admin.RelatedOnlyFieldListFilter),
        ("competent_agency", admin.RelatedOnlyFieldListFilter),
        "online_level",
        "is_active",
        "is_sample",
    )
    list_select_related = ("field",)
    search_fields = ("code",)
    search_help_text = _("Tìm theo mã hoặc tên thủ tục, gõ có dấu hay không dấu đều được.")
    autocomplete_fields = ("competent_agency",)
    filter_horizontal = ("receiving_agencies",)
    inlines = [CaseInline]
    actions = ["export_selected"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "field",
                    "levels",
                    "procedure_type",
                    "online_level",
                    "immediate_result",
                    "is_active",
                    "is_sample",
                    "decision_number",
                    "decision_effective_date",
                    "source_url",
                )
            },
        ),
        (_("Nơi thực hiện"), {"fields": ("receiving_agencies", "competent_agency")}),
        (
            _("Cơ quan theo công bố"),
            {
                "fields": (
                    "competent_agency_text",
                    "implementing_agency_text",
                    "authorised_agency_text",
                    "coordinating_agency_text",
                    "receiving_address",
                ),
                "classes": ("collapse",),
            },
        ),
        (
            _("Nội dung"),
            {
                "fields": (
                    "applicants",
                    "sequence",
                    "result",
                    "result_codes",
                    "requirements",
                    "legal_basis",
                    "related_procedures",
                )
            },
        ),
    )

    @admin.display(description=_("cấp thực hiện"))
    def levels_display(self, obj):
        return obj.levels_display

    # Excel (django-import-export): import with a preview; export of the whole catalogue.
    resource_classes = [CatalogueResource]
    import_formats = [CatalogueXLSX]
    import_template_name = "admin/thutuc/procedure/import.html"
    change_list_template = "admin/thutuc/procedure/change_list.html"
    import_export_change_list_template = "admin/thutuc/procedure/change_list.html"
    skip_admin_log = True  # rows are cases, not procedures: the admin log would link wrongly

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_cases=Count("cases"))

    @admin.display(description=_("số trường hợp"), ordering="n_cases")
    def case_count(self, obj):
        return obj.n_cases

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return procedure_search(queryset, search_term), False

    def response_add(self, request, obj, post_url_continue=None):
        cases = list(obj.cases.all()[:2])
        if len(cases) == 1 and "_addanother" not in request.POST and "_continue" not in request.POST:
            self.message_user(
                request,
                _("Đã lưu thủ tục %(code)s. Tiếp tục nhập thành phần hồ sơ, phí, lệ phí và quy trình xử lý.")
                % {"code": obj.code},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:thutuc_procedurecase_change", args=[cases[0].pk]))
        return super().response_add(request, obj, post_url_continue)

    # --- Excel ------------------------------------------------------------------------------

    def has_import_permission(self, request):
        return request.user.has_perms(["thutuc.add_procedure", "thutuc.change_procedure"])

    def import_action(self, request, **kwargs):
        """A workbook longer than CATALOGUE_IMPORT_INLINE_ROWS is not previewed here: it is
        checked and imported by a background task whose page shows the progress (jobs.py)."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                upload = form.cleaned_data["import_file"]
                rows = getattr(upload, "data_rows", 0)
                if rows > settings.CATALOGUE_IMPORT_INLINE_ROWS:
                    job = jobs.import_job_start(upload=upload, rows=rows, actor=request.user)
                    self.message_user(
                        request,
                        _("Tệp có %(rows)s dòng: đang kiểm tra trong nền, trang này tự cập nhật.")
                        % {"rows": rows},
                        messages.INFO,
                    )
                    return HttpResponseRedirect(reverse("admin:thutuc_importjob_change", args=[job.pk]))
        return super().import_action(request, **kwargs)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        labels = {
            "import_file": _("Tệp Excel cần nhập"),
            "format": _("Định dạng"),
            "resource": _("Mẫu dữ liệu"),
        }
        for name, label in labels.items():
            if name in form.fields:
                form.fields[name].label = label
        if "import_file" in form.fields:
            form.fields["import_file"].validators.append(validate_import_file)
        return form

    def process_import(self, request, **kwargs):
        """The confirm step names import-export's temporary file. Only a name it made
        (tempfile's "tmp" + 8 characters) is read, and a file already imported or gone (the
        confirm button pressed twice) sends the officer back to the upload, not to a 500."""
        name = os.path.basename(request.POST.get("import_file_name", ""))
        if request.method == "POST" and not TEMP_NAME_RE.fullmatch(name):
            raise PermissionDenied
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            self.message_user(
                request,
                _("Tệp đã tải lên không còn (đã nhập hoặc đã hết hạn). Vui lòng tải tệp lên lại."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:thutuc_procedure_import"))

    def add_data_read_fail_error_to_form(self, form, e):
        # import-export's own message is English and names the Python exception.
        if isinstance(e, FormulaInFile):
            form.add_error("import_file", str(e))
            return
        form.add_error(
            "import_file",
            _(
                "Không đọc được tệp: tệp trống, hỏng hoặc không phải tệp Excel .xlsx. "
                "Hãy xuất danh mục ra Excel, sửa trong tệp đó rồi nhập lại."
            ),
        )

    def get_import_data_kwargs(self, **kwargs):
        data = super().get_import_data_kwargs(**kwargs)
        data["rollback_on_validation_errors"] = True  # one bad row: nothing is applied
        return data

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            _("Đã nhập xong: %(new)d trường hợp thêm mới, %(update)d cập nhật, %(skip)d không thay đổi.")
            % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "xuat-excel/",
                self.admin_site.admin_view(self.export_view),
                name="thutuc_procedure_export_excel",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The procedures shown by the list's current filters and search, as .xlsx."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._excel_response(changelist.get_queryset(request))

    @admin.action(description=_("Xuất các thủ tục đã chọn ra Excel"), permissions=["view"])
    def export_selected(self, request, queryset):
        return self._excel_response(queryset)

    def _excel_response(self, procedures):
        dataset = CatalogueResource().export(queryset=procedures)
        content = CatalogueXLSX().export_data(dataset)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"danh-muc-thu-tuc-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def validate_uploaded_template(value) -> None:
    # Only a file uploaded now is read (a file already stored was checked when uploaded;
    # the form field does not run its validators when no new file is sent).
    if isinstance(value, UploadedFile):
        validate_form_template(value)


class DocumentInline(admin.TabularInline):
    model = ProcedureDocument

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "template":
            field.validators.append(validate_uploaded_template)
        return field

    fields = (
        "order",
        "kind",
        "group",
        "name",
        "print_name",
        "originals",
        "certified_copies",
        "photocopies",
        "mandatory",
        "template_name",
        "template",
        "note",
    )
    extra = 0


class FeeInline(admin.TabularInline):
    model = ProcedureFee
    fields = (
        "kind",
        "channel",
        "amount",
        "currency",
        "per_unit",
        "cap",
        "description",
        "exemptions",
        "collected",
    )
    extra = 0


class ChannelInline(admin.TabularInline):
    model = CaseChannel
    fields = ("channel", "processing_time", "processing_unit")
    extra = 0


class StepInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        steps = [
            (form.cleaned_data.get("allotted_time"), form.cleaned_data.get("allotted_unit"))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # self.instance carries the case's new time and unit (the main form is applied first).
        validate_step_allotments(self.instance.processing_time, self.instance.processing_unit, steps)


class StepInline(admin.TabularInline):
    model = ProcedureStep
    formset = StepInlineFormSet
    fields = ("order", "name", "agency", "role", "allotted_time", "allotted_unit")
    autocomplete_fields = ("agency",)
    extra = 0


@admin.register(ProcedureCase)
class ProcedureCaseAdmin(admin.ModelAdmin):
    """The page of one case: papers, fees and steps. Reached from the procedure page."""

    fields = (
        "procedure_link",
        "order",
        "name",
        "is_active",
        "processing_time",
        "processing_unit",
        "cutoff_time",
        "channel_description",
        "documents_note",
    )
    readonly_fields = ("procedure_link",)
    inlines = [ChannelInline, DocumentInline, FeeInline, StepInline]
    list_display = ("procedure", "order", "name", "processing_time", "processing_unit")
    list_select_related = ("procedure",)
    search_fields = ("procedure__code", "procedure__name", "name")

    def get_model_perms(self, request):
        return {}  # not listed on the admin index: cases are reached from their procedure

    def has_add_permission(self, request):
        return False  # cases are added on the procedure page

    @admin.display(description=_("thủ tục"))
    def procedure_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("admin:thutuc_procedure_change", args=[obj.procedure_id])
        return format_html('<a href="{}">{}</a>', url, obj.procedure)

    def has_delete_permission(self, request, obj=None):
        # The last case of a procedure cannot be deleted from here.
        if (
            obj is not None
            and not ProcedureCase.objects.filter(procedure_id=obj.procedure_id).exclude(pk=obj.pk).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(request, _("Đã lưu trường hợp «%(case)s».") % {"case": obj}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:thutuc_procedure_change", args=[obj.procedure_id]))
        return super().response_change(request, obj)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The page of a long catalogue import: its progress while a task runs, then the check's
    totals and errors and the confirm button (jobs.py). Nothing is edited here."""

    list_display = ("original_name", "rows", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("requested_by",)
    fields = ("original_name", "rows", "status", "requested_by", "created_at", "finished_at")
    readonly_fields = fields
    change_form_template = "admin/thutuc/importjob/change_form.html"

    def has_add_permission(self, request):
        return False  # jobs are made by the procedure list's "Nhập từ Excel"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/xac-nhan/",
                self.admin_site.admin_view(self.confirm_view),
                name="thutuc_importjob_confirm",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = {}
        if job is not None:
            extra = {
                "job": job,
                "running": job.status in (ImportJobStatus.CHECKING, ImportJobStatus.APPLYING),
                "rows_done": jobs.rows_done(job),
                "can_confirm": job.status == ImportJobStatus.CHECKED
                and request.user.has_perms(["thutuc.add_procedure", "thutuc.change_procedure"]),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def confirm_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=pk)
        try:
            jobs.import_job_confirm(job=job, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:thutuc_importjob_change", args=[job.pk]))
