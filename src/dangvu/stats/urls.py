from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("organisations/<str:code>/snapshots/", views.snapshots, name="snapshots"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("organisations/<str:code>/grassroots/", views.grassroots_page, name="grassroots"),
    path("field-days/<int:pk>/<str:action>/", views.field_day_action, name="field_day"),
]
