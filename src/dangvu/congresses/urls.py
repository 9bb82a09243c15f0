from django.urls import path

from . import views

app_name = "congresses"
urlpatterns = [
    path("organisations/<str:code>/", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/summon/", views.summon, name="summon"),
    path("<int:pk>/delegates/", views.delegate, name="delegate"),
    path("<int:pk>/presence/", views.presence, name="presence"),
    path("<int:pk>/elections/", views.election, name="election"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("elections/<int:pk>/count/", views.count, name="count"),
    path("elections/<int:pk>/minutes.docx", views.minutes, name="minutes"),
    path("elections/<int:pk>/remove/", views.election_remove, name="election_remove"),
]
