from django.urls import path

from navet.documents import views

app_name = "documents"

urlpatterns = [
    path("networks/<slug:slug>/documents/", views.archive, name="archive"),
    path("networks/<slug:slug>/documents/new/", views.document_upload, name="upload"),
    path("networks/<slug:slug>/documents/deleted/", views.deleted_list, name="deleted"),
    path("networks/<slug:slug>/documents/<int:pk>/", views.document_detail, name="detail"),
    path("networks/<slug:slug>/documents/<int:pk>/file/", views.document_file, name="file"),
    path("networks/<slug:slug>/documents/<int:pk>/edit/", views.document_edit, name="edit"),
    path("networks/<slug:slug>/documents/<int:pk>/delete/", views.document_delete, name="delete"),
    path(
        "networks/<slug:slug>/documents/<int:pk>/undelete/",
        views.document_undelete,
        name="undelete",
    ),
    path(
        "networks/<slug:slug>/documents/<int:pk>/versions/new/",
        views.version_add,
        name="version_add",
    ),
    path(
        "networks/<slug:slug>/documents/<int:pk>/versions/<int:number>/file/",
        views.version_file,
        name="version_file",
    ),
    path(
        "networks/<slug:slug>/documents/<int:pk>/versions/<int:number>/restore/",
        views.version_restore,
        name="version_restore",
    ),
    path(
        "networks/<slug:slug>/documents/<int:pk>/versions/<int:number>/retry/",
        views.extraction_retry,
        name="extraction_retry",
    ),
]
