"""Project-wide request guards and response headers."""

from django.http import Http404
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


class NulInPathMiddleware:
    """A NUL character in the path (`/thu-tuc/%00/`) can never name an object, and every
    `<str:code>` lookup would pass it to PostgreSQL, which refuses NUL in a text literal
    (a 500). Answer 404 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        return self.get_response(request)
