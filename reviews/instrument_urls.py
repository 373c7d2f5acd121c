from django.urls import path

from reviews import instrument_views as views

app_name = "instruments"
urlpatterns = [
    path("<str:code>/instruments/", views.instrument_list, name="instruments"),
    path("<str:code>/instruments/new/", views.instrument_form, name="instrument_create"),
    path("<str:code>/instruments/<int:instrument_pk>/", views.instrument_form, name="instrument_edit"),
    path("<str:code>/instruments/<int:instrument_pk>/file/", views.instrument_file, name="instrument_file"),
]
