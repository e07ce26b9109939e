"""Project-wide request guards."""

from django.http import Http404


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
