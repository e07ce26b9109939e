"""The public dashboard `/cong-khai/`: per agency and month, dossiers received, resolved on
time, overdue, the online share, satisfaction and the service index — no login, no personal
data (agency names and counts only). The figures are `service_index.compute`'s, which are
II.06a's columns: the same numbers as the staff reports (tests/baocao/test_public_dashboard.py).

A month's figures are cached (`PUBLIC_DASHBOARD_CACHE_SECONDS`, key per month and schema
version), so that a crowd of visitors costs one computation per month and timeout."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.cache import get_or_compute

from . import service_index
from .forms import IndexPeriodForm
from .presentation import bar_chart, hbar_chart

CACHE_VERSION = 2  # 2: online payment and digitisation scored (issue 19's data)


def cache_key(year: int, month: int) -> str:
    return f"cong-khai:v{CACHE_VERSION}:{year:04d}-{month:02d}"


FRAGMENT = "cong_khai_html"  # the {% cache %} fragment name in public_dashboard.html


def forget(year: int, month: int) -> None:
    """Drop a month's cached figures and rendered fragment (the bench's cold run)."""
    from django.core.cache.utils import make_template_fragment_key

    cache.delete_many(
        [cache_key(year, month), make_template_fragment_key(FRAGMENT, [CACHE_VERSION, year, month])]
    )


def _row(index: service_index.AgencyIndex) -> dict:
    c = index.counts
    return {
        "name": index.name,
        "rank": index.rank,
        "received": c["received"],
        "resolved": c["resolved"],
        "on_time": c["on_time"],
        "overdue": c["overdue"],
        "online_percent": index.online_percent,
        "satisfied_percent": index.satisfied_percent,
        "rated": c["rated"],
        "index_total": index.total,
        "index_max": index.max_available,
        "index_percent": index.percent,
    }


def dashboard_data(year: int, month: int) -> dict:
    """The month's figures as plain values (what the cache holds)."""
    from .periods import month_period

    period = month_period(year, month)
    table = service_index.compute(period)
    return {
        "rows": [_row(r) for r in table.rows],
        "province": _row(table.province),
        "computed_at": table.computed_at,
    }


def cached_dashboard_data(year: int, month: int) -> tuple[dict, bool]:
    """(data, served from the cache)."""
    computed = []

    def compute():
        computed.append(True)
        return dashboard_data(year, month)

    # an unreachable cache: the figures are computed for this request, never an error page
    data = get_or_compute(cache_key(year, month), compute, settings.PUBLIC_DASHBOARD_CACHE_SECONDS)
    return data, not computed


def _percent_text(value) -> str:
    return _("không có dữ liệu") if value is None else f"{number_format(value, 1)} %"


@require_GET
def dashboard(request):
    form = IndexPeriodForm({**request.GET.dict(), "kind": "month"})
    context = {"form": form}
    status = 200
    if form.is_valid():
        period = form.period()
        data, _cached = cached_dashboard_data(period.year, period.month)
        province = data["province"]
        context.update(
            period=period,
            rows=data["rows"],
            province=province,
            computed_at=data["computed_at"],
            index_chart=hbar_chart(
                [(r["name"], r["index_percent"], _percent_text(r["index_percent"])) for r in data["rows"]]
            ),
            province_chart=bar_chart(
                [
                    (_("Đúng hạn"), province["on_time"], "#2e7d32"),
                    (_("Quá hạn"), province["overdue"], "#c62828"),
                ]
            ),
            is_future=period.start > timezone.localdate(),
            # the rendered figures are cached too (the same for every visitor): a fragment
            # keyed like the data
            cache_seconds=settings.PUBLIC_DASHBOARD_CACHE_SECONDS,
            cache_version=CACHE_VERSION,
        )
    else:
        status = 400
    return render(request, "baocao/public_dashboard.html", context, status=status)
