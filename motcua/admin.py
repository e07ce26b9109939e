"""Read-only admin pages of the dossier app: the dossier history and the outgoing
notifications (superusers only). The access log's admin is in thutuc/accounts/admin.py."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import SuperuserOnlyAdmin

from .models import DossierEvent, Notification


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
