from django.urls import path

from . import views

app_name = "principles"

urlpatterns = [
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("tags/", views.theme_list, name="themes"),
    path("tags/<slug:slug>/", views.theme_detail, name="theme"),
]
