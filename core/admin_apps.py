from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site (core/admin_site.py: safe list filters)."""

    default_site = "core.admin_site.PortalAdminSite"
