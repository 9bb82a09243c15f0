from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("import/", views.import_page, name="import"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("export/register.xlsx", views.export_register, name="export_register"),
    path("export/list.xlsx", views.export_list, name="export_list"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("organisations/<str:code>/leadership/", views.leadership, name="leadership"),
    path("organisations/<str:code>/history/", views.org_members_history, name="org_history"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/entries/", views.member_entry, name="entry"),
    path("<int:pk>/account/", views.member_account, name="account"),
    path("<int:pk>/<str:kind>/", views.member_event, name="event"),
]
