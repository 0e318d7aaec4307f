from django.contrib import admin
from django.urls import include, path

from organizations import views as organization_views

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("organizations/", include("organizations.urls")),
    path("", include("principles.urls")),
    path("admin/", admin.site.urls),
]
