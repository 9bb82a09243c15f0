from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("suggest/", views.suggest, name="suggest"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/pending/<int:pk>/", views.pending, name="pending"),
    path("decisions/<str:kind>/", views.decision, name="decision"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/history/", views.history, name="history"),
]
