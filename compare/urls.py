from django.urls import path

from . import views

app_name = "compare"

urlpatterns = [
    path("", views.compare, name="compare"),
    path("links/", views.review_link, name="review-link"),
    path("review/", views.review_queue, name="review"),
    path("crosswalk/", views.collection, name="collection"),
    path("crosswalk.csv", views.crosswalk_csv, name="crosswalk-csv"),
]
