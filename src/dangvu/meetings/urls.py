from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("cells/<str:code>/", views.cell, name="cell"),
    path("cells/<str:code>/new/", views.create, name="create"),
    path("cells/<str:code>/reports/<int:year>-<int:month>/", views.report, name="report"),
    path("organisations/<str:code>/templates/", views.templates, name="templates"),
    path("organisations/<str:code>/bodies/", views.bodies, name="bodies"),
    path("organisations/<str:code>/bodies/<str:body>/new/", views.body_create, name="body_create"),
    path("organisations/<str:code>/working-rules/", views.working_rules, name="working_rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/files/", views.attach, name="attach"),
    path("<int:pk>/files/<int:fid>/", views.file, name="file"),
    path("<int:pk>/notify/", views.notify, name="notify"),
    path("<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/speakers/", views.speaker, name="speaker"),
    path("<int:pk>/speakers/<int:sid>/remove/", views.speaker_remove, name="speaker_remove"),
    path("<int:pk>/votes/", views.vote, name="vote"),
    path("<int:pk>/votes/<int:vid>/remove/", views.vote_remove, name="vote_remove"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/monitor/", views.monitor, name="monitor"),
    path("<int:pk>/<str:doc>.docx", views.document, name="document"),
]
