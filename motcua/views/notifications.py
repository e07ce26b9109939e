from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.params import PageField, QueryForm, choice_field

from ..alerts import kinds
from ..models import Notification, NotificationChannel


def _mine(request):
    return Notification.objects.filter(recipient=request.user, channel=NotificationChannel.IN_APP)


class NotificationQuery(QueryForm):
    """?chua-doc=1 (unread only) &trang="""

    trang = PageField()
    extra_fields = {"chua-doc": choice_field(["1", "0"], label=_("Chưa đọc"))}


# What a notification not about a dossier links to: reference prefix -> (URL name, text).
REFERENCE_LINKS = {
    "report": ("baocao:report_detail", _("Xem báo cáo")),
    "online": ("motcua:online_detail", _("Xem hồ sơ trực tuyến")),
}


def _reference_link(reference: str) -> tuple[str, str]:
    prefix, _sep, pk = (reference or "").partition(":")
    if prefix not in REFERENCE_LINKS or not pk.isdigit():
        return "", ""
    name, text = REFERENCE_LINKS[prefix]
    try:
        return reverse(name, kwargs={"pk": int(pk)}), str(text)
    except NoReverseMatch:
        return "", ""


@login_required
def notification_list(request):
    """The staff notification centre: unread first, newest first."""
    params = NotificationQuery.parse(request.GET)
    only_unread = params["chua-doc"] == "1"
    notifications = (
        _mine(request).select_related("dossier").order_by(F("read_at").asc(nulls_first=True), "-created_at")
    )
    if only_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(params["trang"])
    for notification in page.object_list:
        notification.link_url, notification.link_text = _reference_link(notification.reference)
    return render(
        request,
        "motcua/notifications.html",
        {"page": page, "only_unread": only_unread, "labels": kinds.LABELS},
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(_mine(request), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    # Back to the page the officer came from, on this site only (no open redirect).
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "motcua:notifications"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    _mine(request).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("motcua:notifications")
