"""One-time form tokens: every state-changing staff form is handled once (issue 14 §4).

Ten concurrent POSTs of one hand-off recorded ten hand-offs; ten clicks on "new PIN" issued
ten PINs. Each such form carries a hidden one-time token (`{% once_field %}`, from
`core/templatetags/once.py`), and its view is wrapped in `@once_per_token`:

- the token is inserted (unique) in the same transaction as the view's work, so a second
  request with it waits for the first to commit and then finds it;
- a handling that ends in a redirect keeps the token with that redirect: the same token
  again records nothing and gets the same redirect (with a note);
- a handling that shows the form again (a validation error, a refusal) gives the token
  back: the corrected form may be sent with it.

A POST without a token is handled as before (scripts, tests); the browser's forms always
carry one. The intake form keeps its own token on the dossier it creates
(`Dossier.intake_token`, motcua.services.intake), the same idea one level down.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "once"


def new_token() -> str:
    return str(uuid.uuid4())


def _token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(request.POST.get(FIELD, "")))
    except ValueError:
        return None


def once_per_token(view):
    """Decorate a POST view of a signed-in user: the same token twice gives one effect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _token(request) if request.method == "POST" and request.user.is_authenticated else None
        if token is None:
            return view(request, *args, **kwargs)
        from .models import FormSubmission

        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(
                        token=token, user=request.user, path=request.path[:500]
                    )
            except IntegrityError:
                claim = None
            if claim is not None:
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303) and response.has_header("Location"):
                    claim.redirect_to = response["Location"][:500]
                    claim.save(update_fields=["redirect_to"])
                else:
                    claim.delete()  # the form is shown again: its token may be sent again
                return response
            done = FormSubmission.objects.filter(token=token).first()
        return _replay(request, done)

    return wrapper


def _replay(request, done) -> HttpResponse:
    if done is None or done.user_id != request.user.pk or not done.redirect_to:
        return HttpResponse(
            _("Biểu mẫu này đã được gửi."), status=409, content_type="text/plain; charset=utf-8"
        )
    messages.info(request, _("Biểu mẫu này đã được gửi trước đó: thao tác chỉ được ghi nhận một lần."))
    return redirect(done.redirect_to)
