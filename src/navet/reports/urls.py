from django.urls import path

from navet.reports import views

app_name = "reports"

urlpatterns = [
    path("networks/<slug:slug>/plan/", views.plan_latest, name="plan_latest"),
    path("networks/<slug:slug>/plan/<int:year>/", views.plan, name="plan"),
    path("networks/<slug:slug>/plan/<int:year>/add/", views.activity_add, name="activity_add"),
    path(
        "networks/<slug:slug>/plan/activities/<int:pk>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "networks/<slug:slug>/plan/activities/<int:pk>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("networks/<slug:slug>/reports/", views.report_latest, name="report_latest"),
    path("networks/<slug:slug>/reports/<int:year>/", views.annual_report, name="annual_report"),
    path(
        "networks/<slug:slug>/reports/<int:year>/report.pdf",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
    path(
        "networks/<slug:slug>/reports/<int:year>/report.docx",
        views.annual_report_docx,
        name="annual_report_docx",
    ),
]
