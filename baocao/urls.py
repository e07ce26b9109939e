from django.urls import path, register_converter

from . import views, views_public, views_quality, views_requests
from .models import ExportFormat


class ExportFormatConverter:
    """Only the formats an export is rendered in: `/xuat/abc/` or `/xuat/docx/` is a 404
    instead of a ValidationError raised by the service (500, issue 14 §5)."""

    regex = "|".join(ExportFormat.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormatConverter, "export_format")

app_name = "baocao"

urlpatterns = [
    path("bao-cao/", views.index, name="index"),
    path("bao-cao/thong-ke/", views.statistics, name="statistics"),
    path("bao-cao/thong-ke/ho-so/", views.drill_down, name="drill_down"),
    path("bao-cao/thong-ke/xuat/<export_format:fmt>/", views.statistics_export, name="statistics_export"),
    path("bao-cao/quy/tao/", views.report_create, name="report_create"),
    path("bao-cao/quy/<int:pk>/", views.report_detail, name="report_detail"),
    path("bao-cao/quy/<int:pk>/sua/", views.report_edit, name="report_edit"),
    path("bao-cao/quy/<int:pk>/gui/", views.report_submit, name="report_submit"),
    path("bao-cao/quy/<int:pk>/tiep-nhan/", views.report_accept, name="report_accept"),
    path("bao-cao/quy/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("bao-cao/quy/<int:pk>/xuat/<export_format:fmt>/", views.report_export, name="report_export"),
    path("bao-cao/tep/<int:pk>/", views.export_status, name="export_status"),
    path("bao-cao/tep/<int:pk>/tai-ve/", views.export_download, name="export_download"),
    path("bao-cao/chi-so/", views_quality.service_index_page, name="service_index"),
    path("bao-cao/chi-so/ho-so/", views_quality.service_index_dossiers, name="service_index_dossiers"),
    path("bao-cao/tre-han/", views_quality.lateness_page, name="lateness"),
    path("bao-cao/tre-han/ho-so/", views_quality.lateness_dossiers, name="lateness_dossiers"),
    path("cong-khai/", views_public.dashboard, name="public_dashboard"),
    path("bao-cao/yeu-cau/", views_requests.request_list, name="requests"),
    path("bao-cao/yeu-cau/tao/", views_requests.request_create, name="request_create"),
    path("bao-cao/yeu-cau/<int:pk>/", views_requests.request_detail, name="request_detail"),
    path("bao-cao/yeu-cau/don-vi/<int:pk>/gui/", views_requests.request_submit, name="request_submit"),
    path(
        "bao-cao/yeu-cau/don-vi/<int:pk>/<str:verdict>/",
        views_requests.request_review,
        name="request_review",
    ),
]
