"""The citizen pays a dossier's fees online from the tracking page: the order, the gateway's
return and server notice (/thanh-toan/ket-qua/, /thanh-toan/thong-bao/), and the sandbox
gateway's own checkout page
(/thanh-toan-thu-nghiem/<reference>/, only while the sandbox is the configured backend)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..citizen import session as citizen_session
from ..citizen.selectors import owns_dossier
from ..forms_fees import GatewayCallbackForm, PayForm, SandboxCheckoutForm
from ..models import Dossier
from ..payments import get_backend, sandbox_enabled
from ..payments.base import PaymentError
from ..payments.service import checkout_url, payment_confirm, payment_start
from ..services.fees import FeeError
from ..tracking.selectors import normalise_code
from ..tracking.session import is_tracked


def session_expired(request, status=403):
    return render(
        request,
        "motcua/payments/result.html",
        {"error": _("Phiên tra cứu đã hết hạn. Vui lòng tra cứu lại hồ sơ bằng mã hồ sơ và mã tra cứu.")},
        status=status,
    )


@never_cache
@require_POST
def tracking_pay(request):
    """Start paying what is still due on a dossier opened in this session."""
    form = PayForm(request.POST)
    code = normalise_code(form.cleaned_data["ma"]) if form.is_valid() else ""
    if not code or not is_tracked(request, code):
        return session_expired(request)
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None:
        return session_expired(request)
    try:
        payment = payment_start(dossier=dossier)
    except FeeError as exc:
        return render(request, "motcua/payments/result.html", {"error": str(exc), "code": code}, status=409)
    return HttpResponseRedirect(
        checkout_url(payment, return_url=request.build_absolute_uri(reverse("payment_return")))
    )


def _confirm(request):
    """(confirmation, None) or (None, the refusal) for the callback's query string."""
    form = GatewayCallbackForm(request.GET)
    # a malformed callback (missing, oversized or NUL values) is refused like a forged one
    try:
        return payment_confirm(params=form.cleaned_data if form.is_valid() else {}), None
    except PaymentError as exc:
        return None, str(exc)


@never_cache
@require_GET
def payment_return(request):
    """The citizen's browser coming back from the gateway with the signed result."""
    confirmation, error = _confirm(request)
    if error:
        return render(request, "motcua/payments/result.html", {"error": error}, status=400)
    payment = confirmation.payment
    identity = citizen_session.current(request)
    return render(
        request,
        "motcua/payments/result.html",
        {
            "payment": payment,
            "code": payment.dossier.code,
            "paid": payment.status == "paid",
            # paid from "Hồ sơ của tôi": back there rather than to the tracking page
            "mine": identity is not None and owns_dossier(identity, payment.dossier_id),
        },
    )


@never_cache
@require_GET
def payment_notify(request):
    """The gateway's server-to-server notice (a GET with the same signed parameters, as
    VNPay's IPN): a short text answer the gateway reads, "OK" or the refusal (400). A GET
    needs no CSRF exemption: the HMAC is the check."""
    _confirmation, error = _confirm(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse("OK", content_type="text/plain; charset=utf-8")


# --- the sandbox gateway's checkout page --------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox_checkout(request, reference):
    if not sandbox_enabled():
        raise Http404
    backend = get_backend()
    form = SandboxCheckoutForm(request.POST if request.method == "POST" else request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    amount, return_url, sig = (data.get(key, "") for key in ("amount", "return_url", "sig"))
    valid = (
        bool(data)
        and backend.checkout_request_ok(reference=reference, amount=amount, return_url=return_url, sig=sig)
        and amount.isdigit()
        and url_has_allowed_host_and_scheme(return_url, allowed_hosts={request.get_host()})
    )
    if not valid:
        return render(
            request,
            "motcua/payments/sandbox.html",
            {"error": _("Yêu cầu thanh toán không hợp lệ (thiếu hoặc sai chữ ký của đơn vị bán hàng).")},
            status=400,
        )
    if request.method == "POST":
        params = backend.pay(
            reference=reference, amount=Decimal(amount), succeed=data.get("ket_qua") == "thanh-toan"
        )
        return HttpResponseRedirect(return_url + "?" + urlencode(params))
    return render(
        request,
        "motcua/payments/sandbox.html",
        {"reference": reference, "amount": Decimal(amount), "return_url": return_url, "sig": sig},
    )
