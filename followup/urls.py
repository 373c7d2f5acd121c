"""The follow-up's pages under /reviews/ (namespace "reviews": see iomborder/urls.py)."""

from django.urls import path

from followup import views

urlpatterns = [
    path("<int:pk>/follow-up/positions/", views.positions, name="positions"),
    path("<int:pk>/follow-up/workshop/<int:number>/", views.workshop, name="workshop"),
]
