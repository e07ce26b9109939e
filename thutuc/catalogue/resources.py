"""django-import-export resource of the catalogue: one row per procedure case.

The row format lives in `excel.py`; writes go through `services.catalogue_row_apply`.
The whole import runs in one transaction: any invalid row rolls everything back, and
the admin's dry run (the preview) shows each bad row with its Excel line and reason.
A row equal to the current state is reported as "skip" and writes nothing. The cases of a
procedure in the file that the file no longer lists are withdrawn (never deleted: dossiers
point at them), and listed on the result as `deactivated_cases`.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from import_export import fields, resources
from import_export.formats.base_formats import XLSX

from core.xlsx import check_no_formulas

from ..models import (
    Agency,
    CaseChannel,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureStep,
)
from . import excel
from .services import catalogue_cases_withdraw, catalogue_row_apply

_ROW_CACHE = "_catalogue_excel_row"
PROGRESS_EVERY = 25


def export_queryset(cases=None):
    """Cases with everything their rows need, in two handfuls of queries."""
    cases = ProcedureCase.objects.all() if cases is None else cases
    return (
        cases.select_related("procedure__field", "procedure__competent_agency__parent")
        .prefetch_related(
            Prefetch("procedure__receiving_agencies", queryset=Agency.objects.select_related("parent")),
            # Ordered within their case only: the models' default ordering ("case", …) joins the
            # case and the procedure to sort by the procedure's code, and PostgreSQL planned that
            # join over thousands of cases badly (one query ran for minutes in CI); the prefetch
            # groups by case anyway.
            Prefetch("documents", queryset=ProcedureDocument.objects.order_by("order", "pk")),
            Prefetch("fees", queryset=ProcedureFee.objects.order_by("pk")),
            Prefetch("channels", queryset=CaseChannel.objects.order_by("pk")),
            Prefetch(
                "steps",
                queryset=ProcedureStep.objects.select_related("agency__parent").order_by("order", "pk"),
            ),
        )
        .order_by("procedure__code", "order", "pk")
    )


class ColumnField(fields.Field):
    """A column whose value is read from the case's rendered row (export and preview diff)."""

    def export(self, instance, **kwargs):
        return CatalogueResource.row_of(instance).get(self.column_name, "")


class CatalogueResource(resources.ModelResource):
    """Danh mục thủ tục hành chính (one row per case). Column values come from
    excel.case_to_row; rows are read by excel.parse_row."""

    code = ColumnField(column_name=excel.COL_CODE)
    name = ColumnField(column_name=excel.COL_NAME)
    field_code = ColumnField(column_name=excel.COL_FIELD_CODE)
    field_name = ColumnField(column_name=excel.COL_FIELD_NAME)
    level = ColumnField(column_name=excel.COL_LEVEL)
    type = ColumnField(column_name=excel.COL_TYPE)
    applicants = ColumnField(column_name=excel.COL_APPLICANTS)
    receiving = ColumnField(column_name=excel.COL_RECEIVING)
    competent = ColumnField(column_name=excel.COL_COMPETENT)
    competent_text = ColumnField(column_name=excel.COL_COMPETENT_TEXT)
    implementing_text = ColumnField(column_name=excel.COL_IMPLEMENTING_TEXT)
    authorised_text = ColumnField(column_name=excel.COL_AUTHORISED_TEXT)
    coordinating_text = ColumnField(column_name=excel.COL_COORDINATING_TEXT)
    address = ColumnField(column_name=excel.COL_ADDRESS)
    online = ColumnField(column_name=excel.COL_ONLINE)
    immediate = ColumnField(column_name=excel.COL_IMMEDIATE)
    active = ColumnField(column_name=excel.COL_ACTIVE)
    sample = ColumnField(column_name=excel.COL_SAMPLE)
    decision = ColumnField(column_name=excel.COL_DECISION)
    decision_date = ColumnField(column_name=excel.COL_DECISION_DATE)
    sequence = ColumnField(column_name=excel.COL_SEQUENCE)
    result = ColumnField(column_name=excel.COL_RESULT)
    result_codes = ColumnField(column_name=excel.COL_RESULT_CODES)
    requirements = ColumnField(column_name=excel.COL_REQUIREMENTS)
    legal = ColumnField(column_name=excel.COL_LEGAL)
    related = ColumnField(column_name=excel.COL_RELATED)
    source = ColumnField(column_name=excel.COL_SOURCE)
    case_order = ColumnField(column_name=excel.COL_CASE_ORDER)
    case_name = ColumnField(column_name=excel.COL_CASE_NAME)
    case_active = ColumnField(column_name=excel.COL_CASE_ACTIVE)
    time = ColumnField(column_name=excel.COL_TIME)
    unit = ColumnField(column_name=excel.COL_UNIT)
    cutoff = ColumnField(column_name=excel.COL_CUTOFF)
    channels = ColumnField(column_name=excel.COL_CHANNELS)
    channel_description = ColumnField(column_name=excel.COL_CHANNEL_DESCRIPTION)
    documents = ColumnField(column_name=excel.COL_DOCUMENTS)
    shown = ColumnField(column_name=excel.COL_SHOWN)
    documents_note = ColumnField(column_name=excel.COL_DOCUMENTS_NOTE)
    fees = ColumnField(column_name=excel.COL_FEES)
    steps = ColumnField(column_name=excel.COL_STEPS)

    class Meta:
        model = ProcedureCase
        name = "Danh mục thủ tục hành chính (mỗi dòng một trường hợp)"
        fields = (
            "code",
            "name",
            "field_code",
            "field_name",
            "level",
            "type",
            "applicants",
            "receiving",
            "competent",
            "competent_text",
            "implementing_text",
            "authorised_text",
            "coordinating_text",
            "address",
            "online",
            "immediate",
            "active",
            "sample",
            "decision",
            "decision_date",
            "sequence",
            "result",
            "result_codes",
            "requirements",
            "legal",
            "related",
            "source",
            "case_order",
            "case_name",
            "case_active",
            "time",
            "unit",
            "cutoff",
            "channels",
            "channel_description",
            "documents",
            "shown",
            "documents_note",
            "fees",
            "steps",
        )
        import_id_fields = ("code", "case_order")
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(self, *, progress=None, **kwargs):
        super().__init__(**kwargs)
        # progress(rows_done): told every PROGRESS_EVERY rows (a background import's page)
        self._progress = progress
        self._procedure_rows: dict[str, tuple[int, excel.CatalogueRow]] = {}
        self._case_keys: dict[tuple[str, int], int] = {}
        self._agency_cache: dict = {}
        self._field_cache: dict = {}

    @staticmethod
    def row_of(case) -> dict:
        if not case.procedure_id:
            return {}
        cached = case.__dict__.get(_ROW_CACHE)
        if cached is None:
            cached = excel.case_to_row(case)
            case.__dict__[_ROW_CACHE] = cached
        return cached

    # --- export ---------------------------------------------------------------------------------

    def get_queryset(self):
        return ProcedureCase.objects.all()  # filter_export adds the joins

    def filter_export(self, queryset, **kwargs):
        if queryset.model is Procedure:  # the Procedure changelist hands over procedures
            queryset = ProcedureCase.objects.filter(procedure__in=queryset.values("pk"))
        return export_queryset(queryset)

    # --- import ----------------------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        code = excel.parse_code(row.get(excel.COL_CODE))
        order_text = excel.cell_text(row.get(excel.COL_CASE_ORDER)) or "1"
        if not order_text.isdigit():
            return None
        return (
            ProcedureCase.objects.select_related("procedure__field", "procedure__competent_agency__parent")
            .filter(procedure__code=code, order=int(order_text))
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        line = kwargs.get("row_number", 0) + 1  # Excel line: the header is line 1
        parsed = excel.parse_row(row)
        key = (parsed.code, parsed.case_order)
        if key in self._case_keys:
            raise ValidationError(
                {
                    excel.COL_CASE_ORDER: [
                        f"Trùng với dòng {self._case_keys[key]}: cùng mã thủ tục và số thứ tự."
                    ]
                }
            )
        self._case_keys[key] = line
        first = self._procedure_rows.get(parsed.code)
        if first is None:
            self._procedure_rows[parsed.code] = (line, parsed)
        else:
            differing = [
                column
                for attr, column in excel.PROCEDURE_ATTRS.items()
                if getattr(parsed, attr) != getattr(first[1], attr)
            ]
            if differing:
                raise ValidationError(
                    {
                        column: [
                            f"Khác với dòng {first[0]} của cùng thủ tục {parsed.code}: các dòng của một "
                            "thủ tục phải giống nhau ở các cột thông tin thủ tục."
                        ]
                        for column in differing
                    }
                )
        instance._catalogue_parsed = parsed

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        number = kwargs.get("row_number", 0)
        if self._progress is not None and number % PROGRESS_EVERY == 0:
            self._progress(number)
        return result

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # import_instance only attaches the parsed row, so `instance` still holds the
        # stored state (and `original` is None when skip_diff is on).
        if import_validation_errors or instance.pk is None:
            return False
        try:
            current = excel.parse_row(self.row_of(instance))
        except ValidationError:
            return False
        return current == instance._catalogue_parsed

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user")
        catalogue_row_apply(
            row=instance._catalogue_parsed,
            case=instance,
            actor=user,
            agency_cache=self._agency_cache,
            field_cache=self._field_cache,
        )
        instance.__dict__.pop(_ROW_CACHE, None)
        for name in ("documents", "fees", "steps", "channels"):
            getattr(instance, "_prefetched_objects_cache", {}).pop(name, None)
        instance.procedure = Procedure.objects.select_related("field", "competent_agency__parent").get(
            pk=instance.procedure_id
        )

    def save_m2m(self, instance, row, **kwargs):
        """Receiving agencies are saved by the service."""

    def after_import(self, dataset, result, **kwargs):
        """Inside the import's transaction (a dry run rolls it back too): withdraw the cases
        of the file's procedures that the file does not list."""
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            result.deactivated_cases = []
            return
        listed: dict[str, set[int]] = {}
        for code, order in self._case_keys:
            listed.setdefault(code, set()).add(order)
        result.deactivated_cases = catalogue_cases_withdraw(listed=listed)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        self._procedure_rows.clear()
        self._case_keys.clear()
        self._agency_cache.clear()
        self._field_cache.clear()
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
        )


class CatalogueXLSX(XLSX):
    """XLSX readable by people: bold frozen header with autofilter, wrapped multi-line cells,
    wide columns, A4 landscape print (core.xlsx.finish_table).
    Imports read the first sheet whatever its name."""

    WIDTHS = {
        excel.COL_NAME: 45,
        excel.COL_RECEIVING: 18,
        excel.COL_RESULT: 30,
        excel.COL_REQUIREMENTS: 30,
        excel.COL_LEGAL: 40,
        excel.COL_CASE_NAME: 30,
        excel.COL_DOCUMENTS: 70,
        excel.COL_FEES: 45,
        excel.COL_STEPS: 70,
    }

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        check_no_formulas(io.BytesIO(in_stream))  # FormulaInFile: reported by the admin
        return super().create_dataset(in_stream)

    def export_data(self, dataset, **kwargs):
        import openpyxl
        from openpyxl.styles import Alignment, Font

        from core.xlsx import finish_table, text_row

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Danh mục thủ tục"
        sheet.append(text_row(sheet, list(dataset.headers or [])))
        for values in dataset:
            # Every value as text, so that Excel keeps codes such as 1.000110 intact.
            sheet.append(text_row(sheet, ["" if v is None else str(v) for v in values]))
        wrap = Alignment(wrap_text=True, vertical="top")
        for column_cells in sheet.columns:
            header = column_cells[0].value
            letter = column_cells[0].column_letter
            sheet.column_dimensions[letter].width = self.WIDTHS.get(header, 16)
            for cell in column_cells:
                cell.alignment = wrap
                cell.number_format = "@"
            column_cells[0].font = Font(bold=True)
        sheet.freeze_panes = "C2"
        # The shared finish of every export (autofilter, A4 landscape, heading on each page).
        # The cells stay text on purpose: this file is also the import format, and Excel
        # must not turn 1.000110 into 1.00011 or 0,5 into a date.
        finish_table(sheet, header_row=1, last_row=sheet.max_row, last_column=sheet.max_column)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


class CatalogueLoadResource(CatalogueResource):
    """The same import without the preview's per-cell diff (faster): for seeding."""

    class Meta(CatalogueResource.Meta):
        skip_diff = True
