from django.urls import path

from navet.networks import api, views

app_name = "networks"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("networks/<slug:slug>/members/", views.member_list, name="member_list"),
    path(
        "networks/<slug:slug>/members/export.<str:fmt>", views.member_export, name="member_export"
    ),
    path("networks/<slug:slug>/members/add/", views.membership_add, name="membership_add"),
    path("networks/<slug:slug>/members/import/", views.import_upload, name="import_upload"),
    path(
        "networks/<slug:slug>/memberships/<int:pk>/edit/",
        views.membership_edit,
        name="membership_edit",
    ),
    path(
        "networks/<slug:slug>/memberships/<int:pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("networks/<slug:slug>/contacts/", views.contact_list, name="contact_list"),
    path(
        "networks/<slug:slug>/contacts/export.<str:fmt>",
        views.contact_export,
        name="contact_export",
    ),
    path("networks/<slug:slug>/contacts/turnover/", views.turnover, name="turnover"),
    path(
        "networks/<slug:slug>/organisations/<int:org_pk>/contact/",
        views.contact_assign,
        name="contact_assign",
    ),
    path("networks/<slug:slug>/people/", views.people_directory, name="people_directory"),
    path("networks/<slug:slug>/people/add/", views.person_add, name="person_add"),
    path("networks/<slug:slug>/people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("networks/<slug:slug>/people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("networks/<slug:slug>/groups/<slug:group_slug>/", views.group_detail, name="group_detail"),
    path(
        "networks/<slug:slug>/groups/<slug:group_slug>/participants/add/",
        views.group_member_add,
        name="group_member_add",
    ),
    path(
        "networks/<slug:slug>/groups/<slug:group_slug>/participants/<int:pk>/end/",
        views.group_member_end,
        name="group_member_end",
    ),
    # JSON for the searchable pickers (networks.api).
    path(
        "networks/<slug:slug>/api/organisations/",
        api.organisations,
        name="picker_organisations",
    ),
    path("networks/<slug:slug>/api/people/", api.people, name="picker_people"),
]
