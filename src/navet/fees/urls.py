from django.urls import path

from navet.fees import views

app_name = "fees"

urlpatterns = [
    path("networks/<slug:slug>/fees/", views.overview, name="overview"),
    path("networks/<slug:slug>/fees/new/", views.scheme_create, name="scheme_create"),
    path("networks/<slug:slug>/fees/index/", views.index, name="index"),
    path("networks/<slug:slug>/fees/population/", views.population_import, name="population"),
    path("networks/<slug:slug>/fees/<int:year>/", views.fee_list, name="fee_list"),
    path("networks/<slug:slug>/fees/<int:year>/edit/", views.scheme_edit, name="scheme_edit"),
    path("networks/<slug:slug>/fees/<int:year>/publish/", views.publish, name="publish"),
    path("networks/<slug:slug>/fees/<int:year>/reopen/", views.reopen, name="reopen"),
    path(
        "networks/<slug:slug>/fees/<int:year>/fees.xlsx", views.fee_list_xlsx, name="fee_list_xlsx"
    ),
    path("networks/<slug:slug>/fees/<int:year>/fees.pdf", views.fee_list_pdf, name="fee_list_pdf"),
]
