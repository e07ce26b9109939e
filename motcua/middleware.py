"""Responses that carry personal data must never be kept by a browser or a shared cache."""

from django.utils.cache import add_never_cache_headers


class PrivateCacheMiddleware:
    """Every response to a signed-in user (staff pages, PDFs, exports) gets
    `Cache-Control: no-store, private` (plus no-cache, must-revalidate, max-age=0): a
    shared computer's browser history or a proxy must not keep a citizen's record.
    Public pages with personal data (tracking results, feedback status, attachments) set
    the same through `never_cache` in their views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
