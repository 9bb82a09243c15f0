from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("organisations/<str:code>/<int:year>/", views.organisation, name="organisation"),
    path("organisations/<str:code>/<int:year>/register/", views.register, name="register"),
    path("organisations/<str:code>/<int:year>/open/", views.open_review, name="open"),
    path("organisations/<str:code>/<int:year>/decide/", views.decide_many, name="decide_many"),
    path("members/<int:pk>/<int:year>/commitment/", views.commitment, name="commitment"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/self/", views.review_self, name="self"),
    path("reviews/<int:pk>/return/", views.review_return, name="return"),
    path("reviews/<int:pk>/assess/", views.review_assess, name="assess"),
    path("reviews/<int:pk>/decide/", views.review_decide, name="decide"),
    path("reviews/<int:pk>/form.docx", views.review_form, name="form"),
]
