from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("outgoing/", views.outgoing, name="outgoing"),
    path("outgoing/<int:pk>/", views.outgoing_doc, name="outgoing_doc"),
    path("outgoing/<int:pk>/void/", views.outgoing_void, name="outgoing_void"),
    path("outgoing/<int:pk>/file/", views.outgoing_file, name="outgoing_file"),
    path("outgoing/<int:pk>/ocr/", views.outgoing_ocr, name="outgoing_ocr"),
    path("outgoing/<int:pk>/draft/", views.outgoing_draft, name="outgoing_draft"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:pk>/preview/", views.template_preview, name="template_preview"),
    path("templates/<int:pk>/remove/", views.template_remove, name="template_remove"),
    path("incoming/", views.incoming, name="incoming"),
    path("incoming/<int:pk>/", views.incoming_doc, name="incoming_doc"),
    path("incoming/<int:pk>/file/", views.incoming_file, name="incoming_file"),
    path("incoming/<int:pk>/ocr/", views.incoming_ocr, name="incoming_ocr"),
    path("book/<str:kind>/", views.book, name="book"),
    path("handbook/", views.handbook_index, name="handbook"),
    path("handbook/files/<int:pk>/", views.handbook_file, name="handbook_file"),
    path("handbook/<slug:slug>/", views.handbook_page, name="handbook_page"),
    path("handbook/<slug:slug>/edit/", views.handbook_edit, name="handbook_edit"),
    path("handbook/<slug:slug>/files/", views.handbook_attach, name="handbook_attach"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/", views.dispatch, name="dispatch"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.delivery, name="delivery"),
    path("inbox/<int:pk>/read/", views.delivery_read, name="delivery_read"),
    path("inbox/<int:pk>/document/", views.delivery_document, name="delivery_document"),
    path("inbox/<int:pk>/answer-file/", views.delivery_file, name="delivery_file"),
]
