"""The portal's admin site: Django's, with every list's query string made safe (issue 14 §5).

Django's own date filters and date hierarchy hand a typed value straight to the database
layer: `?at__year=99999999999999999999` or `?at__gte=0001-01-01` on a list raised
OverflowError (a 500) before any SQL ran, on our lists and on django-axes'. Every ModelAdmin
registered here gets a ChangeList that turns such a value into the admin's own answer to a
bad filter: back to the list with "?e=1" (IncorrectLookupParameters)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SafeChangeList(ChangeList):
    # Both raise in Python, before any SQL runs: the date hierarchy's bounds (get_filters), a
    # filter's value adapted for the database (get_results).
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class SafeListMixin:
    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if issubclass(changelist, SafeChangeList):
            return changelist
        return type("Safe" + changelist.__name__, (SafeChangeList, changelist), {})


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeListMixin):
            admin_class = type(
                admin_class.__name__, (SafeListMixin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)
