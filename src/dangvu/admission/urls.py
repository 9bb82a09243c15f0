from django.urls import path

from . import views

app_name = "admission"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("import/", views.import_page, name="import"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/introducers/", views.introducer_add, name="introducer_add"),
    path("<int:pk>/introducers/<int:ipk>/remove/", views.introducer_remove, name="introducer_remove"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/files/", views.file_add, name="file_add"),
    path("<int:pk>/files/<int:fpk>/", views.file, name="file"),
    path("<int:pk>/forms/<str:code>.docx", views.form, name="form"),
    path("villages/", views.villages, name="villages"),
    path("villages/new/", views.village_add, name="village_add"),
    path("villages/<int:pk>/", views.unit, name="unit"),
    path("villages/<int:pk>/cells/", views.unit_cover, name="unit_cover"),
    path("villages/<int:pk>/residents/", views.unit_resident, name="unit_resident"),
    path("villages/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
]
