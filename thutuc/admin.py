from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .accounts.forms import AdminLoginForm
from .models import Agency
from .services import agency_save

admin.site.login_form = AdminLoginForm
admin.site.site_header = _("Quản trị cổng một cửa")
admin.site.site_title = _("Quản trị cổng một cửa")
admin.site.index_title = _("Danh mục và người dùng")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "level",
        "centre_kind",
        "parent",
        "hotline",
        "is_home_affairs",
        "valid_to",
        "is_active",
    )
    list_filter = ("level", "centre_kind", "is_home_affairs", "is_active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # The tree decides who sees whose data (thutuc.accounts.visibility): moving an agency under
        # another gives the new parent's staff its dossiers. A superuser moves agencies;
        # the catalogue admin edits their data and adds new ones.
        readonly = list(super().get_readonly_fields(request, obj))
        # The successor is written by a reorganisation only (motcua.services.reorganisation):
        # it too decides who sees whose dossiers.
        readonly.append("successor")
        if obj is not None and not request.user.is_superuser:
            readonly.append("parent")
        return readonly

    def save_model(self, request, obj, form, change):
        # New office hours move deadlines: the service announces it (thutuc/calendar_changes.py).
        agency_save(agency=obj, actor=request.user)


from . import admin_calendar  # noqa: E402, F401  (registers the working-calendar admin)
from .accounts import admin as accounts_admin  # noqa: E402, F401  (registers the accounts and roles admin)
from .catalogue import admin as catalogue_admin  # noqa: E402, F401  (registers the catalogue admin)
