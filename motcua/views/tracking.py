"""Public tracking of a dossier by code + PIN (/tra-cuu/), and the citizen's rating."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from core.lookup_guard import guarded_lookup, slow_seconds

from ..services.rating import dossier_rate
from ..tracking.forms import CitizenRatingForm, TrackingForm
from ..tracking.selectors import find_dossier, find_tracked, normalise_code, second_factors, tracking_view
from ..tracking.session import is_tracked, remember

TEMPLATE = "motcua/tracking.html"


def _fees_and_result(dossier) -> dict:
    """What is due and paid (the fee ledger, without staff names), and the electronic result
    with its QR code to the public verification page."""
    from core.pdf import qr_svg

    from ..services.fees import ledger_of, may_pay_online
    from .results import electronic_result_of, verification_url

    ledger = ledger_of(dossier)
    result = electronic_result_of(dossier)
    return {
        "ledger": ledger,
        "can_pay": may_pay_online(dossier, ledger),
        "electronic_result": result,
        "result_qr": qr_svg(verification_url(result)) if result else "",
        "result_verify_url": verification_url(result) if result else "",
    }


def _neutral_error() -> str:
    # One message for an unknown code and a wrong PIN: the page never tells which codes exist.
    return _(
        "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu đã nhập. Vui lòng kiểm tra lại giấy tiếp nhận hồ sơ."
    )


def _blocked_error() -> str:
    return _(
        "Ông/bà đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút, hoặc liên hệ bộ phận "
        "một cửa nơi nộp hồ sơ để được hỗ trợ."
    ) % {"minutes": ratelimit.window_minutes("tracking_address")}


def _verify_error() -> str:
    return _(
        "Mã hồ sơ này vừa bị nhập sai nhiều lần. Để bảo vệ hồ sơ, vui lòng nhập thêm 4 chữ số cuối của "
        "số điện thoại hoặc số CCCD/định danh đã khai khi nộp hồ sơ."
    )


def _wait_error() -> str:
    return _("Mã hồ sơ này vừa bị nhập sai nhiều lần. Vui lòng thử lại sau %(seconds)s giây.") % {
        "seconds": slow_seconds()
    }


def _verify(request, form):
    """(dossier or None, error message or None, HTTP status) with the limits applied
    (core.lookup_guard); marks the form when the code needs the phone/ID digits."""
    data = form.cleaned_data
    result = guarded_lookup(
        request,
        scope="tracking",
        code=data["ma"],
        pin=data["pin"],
        second_factor=data.get("xac_minh", ""),
        find=lambda code, pin: find_dossier(code=code, pin=pin),
        factors_of=second_factors,
    )
    form.needs_second_factor = result.protected
    if result.status == "found":
        return result.obj, None, 200
    if result.status == "blocked":
        return None, _blocked_error(), 429
    if result.status == "verify":
        return None, _verify_error(), 200
    if result.status == "wait":
        return None, _wait_error(), 429
    return None, _neutral_error(), 200


def _render(request, *, form, dossier=None, error=None, status=200, rating_form=None, notice=None):
    context = {"form": form, "error": error, "notice": notice}
    if dossier is not None:
        view = tracking_view(dossier)
        context["tracking"] = view
        context.update(_fees_and_result(dossier))
        if view.can_rate and hasattr(form, "cleaned_data"):
            context["rating_form"] = rating_form or CitizenRatingForm(
                initial={
                    "ma": dossier.code,
                    "pin": form.cleaned_data["pin"],
                    "xac_minh": form.cleaned_data.get("xac_minh", ""),
                }
            )
    response = render(request, TEMPLATE, context, status=status)
    if dossier is not None:
        # found by code + PIN: open for paying and downloading in this browser for a while
        remember(request, response, dossier.code)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tracking(request):
    """GET: the form (prefilled with ?ma=); POST: look the dossier up.

    The receipt's QR code is `?ma=CODE#pin=PIN`: the fragment never reaches the server, and
    static/js/tracking-pin.js posts it with the form. A PIN in the query string (receipts
    printed before) is not looked up here, so that no link with `?pin=` keeps working
    by itself; the same script moves it into the form and out of the address bar."""
    data = request.POST if request.method == "POST" else None
    form = TrackingForm(data, initial={"ma": request.GET.get("ma", "")[:40]})
    code = normalise_code(form.initial["ma"])
    if data is None and code and is_tracked(request, code):
        # back from the payment gateway, or a download: the dossier opened in this session
        dossier = find_tracked(code)
        if dossier is not None:
            return _render(request, form=form, dossier=dossier)
    if data is None or not form.is_valid():
        return _render(request, form=form)
    dossier, error, status = _verify(request, form)
    return _render(request, form=form, dossier=dossier, error=error, status=status)


@never_cache
@require_POST
def tracking_rate(request):
    """The citizen's rating, sent from the tracking page of a returned dossier."""
    rating_form = CitizenRatingForm(request.POST)
    form = TrackingForm(request.POST)  # the code + PIN fields of the same post (extra keys ignored)
    if not form.is_valid():
        return _render(request, form=form)
    dossier, error, status = _verify(request, form)
    if dossier is None:
        return _render(request, form=form, error=error, status=status)
    if not rating_form.is_valid():
        return _render(request, form=form, dossier=dossier, rating_form=rating_form)
    try:
        dossier.rating = dossier_rate(
            dossier=dossier,
            value=rating_form.cleaned_data["value"],
            comment=rating_form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        # Read the dossier again: its joined rating (none when it was found) may exist now.
        dossier = find_dossier(code=form.cleaned_data["ma"], pin=form.cleaned_data["pin"]) or dossier
        return _render(request, form=form, dossier=dossier, error=" ".join(exc.messages), status=409)
    return _render(
        request,
        form=form,
        dossier=dossier,
        notice=_("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn."),
    )
