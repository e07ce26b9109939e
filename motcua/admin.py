"""Read-only admin pages of the dossier app: the dossier history and the outgoing
notifications (superusers only); and the reorganisations of agencies, recorded and carried
out here because carrying one out moves dossiers. The access log's admin is in thutuc/accounts/admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import SuperuserOnlyAdmin
from thutuc.models import Reorganisation, SuccessorShare

from .models import DossierEvent, Notification
from .services import reorganisation


@admin.register(DossierEvent)
class DossierEventAdmin(SuperuserOnlyAdmin):
    list_display = ["at", "dossier", "action", "status_before", "status_after", "actor"]
    list_filter = ["action"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier", "actor"]
    date_hierarchy = "at"
    show_full_result_count = False


class DeliveryFilter(admin.SimpleListFilter):
    title = _("tình trạng gửi")
    parameter_name = "gui"

    def lookups(self, request, model_admin):
        return [
            ("chua-gui", _("Chưa gửi")),
            ("khong-ro", _("Không rõ đã gửi hay chưa")),
            ("da-gui", _("Đã gửi")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "chua-gui":
            return queryset.filter(sent_at__isnull=True, claimed_at__isnull=True)
        if self.value() == "khong-ro":
            return queryset.filter(sent_at__isnull=True, claimed_at__isnull=False)
        if self.value() == "da-gui":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyAdmin):
    """E-mails and SMS with their delivery state. A message whose sender stopped between the
    gateway and the "sent" mark is never resent automatically (motcua.notifications.service):
    a superuser who has checked it did not arrive sends it again with the action below."""

    list_display = [
        "created_at",
        "channel",
        "kind",
        "address",
        "recipient",
        "sent_at",
        "claimed_at",
        "attempts",
    ]
    list_filter = [DeliveryFilter, "channel", "kind"]
    search_fields = ["address", "dossier__code", "reference"]
    list_select_related = ["recipient"]
    exclude = ["sealed_pin"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["send_again"]

    @admin.action(description=_("Gửi lại các thông báo chưa gửi đã chọn"), permissions=["view"])
    def send_again(self, request, queryset):
        from .notifications.service import _enqueue

        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(claimed_at=None, last_error="")
        for pk in ids:
            _enqueue(pk)
        messages.info(request, _("Đã đưa %(count)s thông báo vào hàng gửi.") % {"count": len(ids)})


class SuccessorShareInline(admin.StackedInline):
    model = SuccessorShare
    extra = 0
    autocomplete_fields = ["successor", "communes", "procedures"]


@admin.register(Reorganisation)
class ReorganisationAdmin(admin.ModelAdmin):
    """A merger or a split (issue 18), recorded by a superuser and carried out from its own
    page: the preview (what moves where), then one confirm button
    (motcua.services.reorganisation). Once carried out it can no longer be changed."""

    list_display = [
        "decision_number",
        "predecessor",
        "main_successor",
        "effective_date",
        "rule",
        "applied_at",
    ]
    list_filter = ["rule", "staff_policy"]
    search_fields = ["decision_number", "predecessor__name", "main_successor__name"]
    list_select_related = ["predecessor", "main_successor"]
    autocomplete_fields = ["predecessor", "main_successor"]
    readonly_fields = ["applied_at", "applied_by", "summary", "preview_link"]
    inlines = [SuccessorShareInline]

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) and (obj is None or obj.applied_at is None)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) and (obj is None or obj.applied_at is None)

    @admin.display(description=_("Thực hiện"))
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Lưu lại trước, rồi xem trước kết quả.")
        url = reverse("admin:thutuc_reorganisation_apply", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Xem trước và thực hiện"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/thuc-hien/",
                self.admin_site.admin_view(self.apply_view),
                name="thutuc_reorganisation_apply",
            ),
            *super().get_urls(),
        ]

    def apply_view(self, request, pk):
        """GET: the preview. POST: carry it out, back to the record with the result."""
        if not self._superuser(request):
            raise PermissionDenied
        records = Reorganisation.objects.select_related("predecessor", "main_successor")
        record = get_object_or_404(records, pk=pk)
        if request.method == "POST":
            try:
                result = reorganisation.apply(reorganisation=record, actor=request.user)
            except reorganisation.ReorganisationError as refusal:
                for message in refusal.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Đã thực hiện quyết định %(number)s: %(count)s hồ sơ đang giải quyết được chuyển.")
                    % {"number": record.decision_number, "count": result.total},
                )
                return redirect("admin:thutuc_reorganisation_change", record.pk)
        preview = reorganisation.preview(reorganisation=record)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Xem trước: %s") % record,
            "record": record,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/thutuc/reorganisation/preview.html", context)
