from django.contrib import admin
from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    # admin_view: staff only, signed in, never cached; the view checks add_document.
    path("import/", admin.site.admin_view(views.import_document), name="import"),
]
