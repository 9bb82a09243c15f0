from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/items/<int:ipk>/progress/", views.item_progress, name="item_progress"),
    path("programmes/<int:pk>/items/<int:ipk>/open/", views.item_open, name="item_open"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/reports/", views.inspection_reports, name="inspection_reports"),
    path("inspections/<int:pk>/conclusion/", views.inspection_conclude, name="inspection_conclude"),
    path("inspections/<int:pk>/recommendations/<int:rpk>/done/", views.recommendation_done, name="recommendation_done"),
    path("inspections/<int:pk>/self-report/", views.inspection_file, name="inspection_file"),
    path("inspections/<int:pk>/<str:kind>.docx", views.inspection_doc, name="inspection_doc"),
    path("disciplines/", views.disciplines, name="disciplines"),
    path("disciplines/new/", views.discipline_new, name="discipline_new"),
    path("disciplines/<int:pk>/", views.discipline, name="discipline"),
    path("disciplines/<int:pk>/decide/", views.discipline_decide, name="discipline_decide"),
    path("disciplines/<int:pk>/announce/", views.discipline_announce, name="discipline_announce"),
    path("disciplines/<int:pk>/defer/", views.discipline_defer, name="discipline_defer"),
    path("disciplines/<int:pk>/drop/", views.discipline_drop, name="discipline_drop"),
    path("disciplines/<int:pk>/decision.docx", views.discipline_doc, name="discipline_doc"),
    path("disciplines/<int:pk>/appeals/", views.appeal_file, name="appeal_file"),
    path("appeals/<int:pk>/answer/", views.appeal_answer, name="appeal_answer"),
    path("notices/", views.notices, name="notices"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
    path("complaints/<int:pk>/handlers/", views.complaint_handler, name="complaint_handler"),
]
