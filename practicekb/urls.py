from django.contrib import admin
from django.urls import include, path

from operations import views as operations_views
from organizations import views as organization_views
from performance import views as performance_views

handler500 = "operations.views.server_error"

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("about/", organization_views.about, name="about"),
    path("accessibility/", organization_views.accessibility, name="accessibility"),
    path("sources/", organization_views.sources, name="sources"),
    path("healthz", performance_views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    path("favicon.ico", operations_views.favicon, name="favicon"),
    path("organizations/", include("organizations.urls")),
    path("", include("principles.urls")),
    path("search/", include("search.urls")),
    path("", include("sheets.urls")),
    path("accounts/", include("accounts.urls")),
    path("compare/", include("compare.urls")),
    path("api/", include("api.urls")),
    # before admin.site.urls, whose catch-all would otherwise answer these addresses
    path("admin/transfer/", include("transfer.urls")),
    path("admin/", admin.site.urls),
]
