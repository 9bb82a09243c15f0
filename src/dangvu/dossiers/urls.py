from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("search/", views.search, name="search"),
    path("organisations/<str:code>/<int:year>/", views.checklist, name="checklist"),
    path("organisations/<str:code>/<int:year>/open/", views.open_dossier, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("<int:pk>/files/<int:fid>/", views.file, name="file"),
    path("<int:pk>/links/", views.link, name="link"),
    path("<int:pk>/links/<int:lid>/remove/", views.unlink, name="unlink"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/<int:pk>/", views.catalogue, name="catalogue"),
    path("catalogues/<int:pk>/types/<int:tid>/", views.type_edit, name="type_edit"),
    path("catalogues/<int:pk>/version/", views.catalogue_version, name="catalogue_version"),
    path("catalogues/<int:pk>/export.xlsx", views.catalogue_export, name="catalogue_export"),
]
