from django.urls import path

from . import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_month, name="open"),
    path("organisations/<str:code>/report/", views.report, name="report"),
    path("organisations/<str:code>/bases/", views.bases_import, name="bases_import"),
    path("organisations/<str:code>/books.xlsx", views.books, name="books"),
    path("organisations/<str:code>/cash/", views.cash, name="cash"),
    path("organisations/<str:code>/<str:month>/", views.sheet, name="sheet"),
    path("members/<int:pk>/", views.ledger, name="ledger"),
]
