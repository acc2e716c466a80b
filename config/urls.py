from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from navet.accounts import views as account_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "accounts/invitation/<str:uidb64>/<str:token>/",
        account_views.invitation_accept,
        name="invitation_accept",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("navet.meetings.urls")),
    path("", include("navet.evaluations.urls")),
    path("", include("navet.reports.urls")),
    path("", include("navet.indicators.urls")),
    path("", include("navet.fees.urls")),
    path("", include("navet.home.urls")),
    path("", include("navet.hours.urls")),
    path("", include("navet.budget.urls")),
    path("", include("navet.search.urls")),
    path("", include("navet.documents.urls")),
    path("", include("navet.networks.urls")),
]

handler400 = "navet.core.errors.bad_request"
handler403 = "navet.core.errors.permission_denied"
handler404 = "navet.core.errors.page_not_found"
handler500 = "navet.core.errors.server_error"
