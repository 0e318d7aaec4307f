from django.contrib.admin.apps import AdminConfig


class PracticekbAdminConfig(AdminConfig):
    """django.contrib.admin, with admin_site.PracticekbAdminSite as admin.site: kept apart
    from admin_site.py, which imports models and so cannot load while apps are set up."""

    default_site = "accounts.admin_site.PracticekbAdminSite"
