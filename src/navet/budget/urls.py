from django.urls import path

from navet.budget import views

app_name = "budget"

urlpatterns = [
    path("networks/<slug:slug>/budget/", views.budget_latest, name="budget_latest"),
    path("networks/<slug:slug>/budget/<int:year>/", views.budget, name="budget"),
    path("networks/<slug:slug>/budget/<int:year>/add/", views.line_add, name="line_add"),
    path(
        "networks/<slug:slug>/budget/<int:year>/import/",
        views.ledger_import,
        name="ledger_import",
    ),
    path(
        "networks/<slug:slug>/budget/ledger-template.csv",
        views.ledger_template,
        name="ledger_template",
    ),
    path("networks/<slug:slug>/budget/lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("networks/<slug:slug>/budget/lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path(
        "networks/<slug:slug>/budget/lines/<int:pk>/delete/",
        views.line_delete,
        name="line_delete",
    ),
    path(
        "networks/<slug:slug>/budget/outcome/<int:pk>/delete/",
        views.entry_delete,
        name="entry_delete",
    ),
    path(
        "networks/<slug:slug>/budget/imports/<int:pk>/undo/",
        views.ledger_undo,
        name="ledger_undo",
    ),
    path("networks/<slug:slug>/status-reports/", views.report_list, name="report_list"),
    path("networks/<slug:slug>/status-reports/new/", views.report_create, name="report_create"),
    path(
        "networks/<slug:slug>/status-reports/<int:pk>/", views.report_detail, name="report_detail"
    ),
    path(
        "networks/<slug:slug>/status-reports/<int:pk>/send/",
        views.report_send,
        name="report_send",
    ),
    path(
        "networks/<slug:slug>/status-reports/<int:pk>/report.pdf",
        views.report_pdf,
        name="report_pdf",
    ),
    path(
        "networks/<slug:slug>/status-reports/<int:pk>/report.docx",
        views.report_docx,
        name="report_docx",
    ),
]
