from django.urls import path

from reviews import instrument_views as views
from reviews import provision_views

app_name = "instruments"
urlpatterns = [
    path("<str:code>/instruments/", views.instrument_list, name="instruments"),
    path("<str:code>/instruments/new/", views.instrument_form, name="instrument_create"),
    path("<str:code>/instruments/<int:instrument_pk>/", views.instrument_form, name="instrument_edit"),
    path("<str:code>/instruments/<int:instrument_pk>/file/", views.instrument_file, name="instrument_file"),
    path("<str:code>/instruments/<int:instrument_pk>/provisions/", provision_views.provision_list, name="provisions"),
    path(
        "<str:code>/instruments/<int:instrument_pk>/provisions/<int:provision_pk>/",
        provision_views.provision_edit,
        name="provision_edit",
    ),
    path(
        "<str:code>/instruments/<int:instrument_pk>/split/",
        provision_views.provision_split_start,
        name="provision_split_start",
    ),
    path(
        "<str:code>/instruments/<int:instrument_pk>/split/<int:split_pk>/",
        provision_views.provision_split,
        name="provision_split",
    ),
]
