from django.urls import path

from navet.hours import views

app_name = "hours"

urlpatterns = [
    path("networks/<slug:slug>/hours/", views.hours_overview, name="overview"),
    path(
        "networks/<slug:slug>/hours/allocations/new/",
        views.allocation_create,
        name="allocation_create",
    ),
    path(
        "networks/<slug:slug>/hours/allocations/<int:pk>/edit/",
        views.allocation_edit,
        name="allocation_edit",
    ),
    path(
        "networks/<slug:slug>/hours/allocations/<int:pk>/delete/",
        views.allocation_delete,
        name="allocation_delete",
    ),
    path("networks/<slug:slug>/hours/log/", views.log_hours, name="log"),
    path("networks/<slug:slug>/hours/log/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("networks/<slug:slug>/hours/log/<int:pk>/delete/", views.log_delete, name="log_delete"),
]
