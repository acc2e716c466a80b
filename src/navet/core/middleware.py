from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class CookieLanguageMiddleware:
    """Swedish unless the person chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; Navet's users
    expect Swedish first, whatever their browser says, so only the explicit choice counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() puts the previous language back afterwards, so nothing leaks into the
        # next piece of work done on this thread.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Pages that stay open to a platform admin who has not yet set up two-step verification.
MFA_SETUP_OPEN_VIEWS = frozenset(
    {"account_logout", "account_login", "account_reauthenticate", "set_language"}
)
# allauth pages Navet does not offer: a person's email address is the Person's and is changed
# on the profile (or by an admin or coordinator), never added or made primary here.
DISABLED_ACCOUNT_VIEWS = frozenset({"account_email"})


def _url_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return (match.view_name if match else "") or ""


class AccountPagesMiddleware:
    """Switch off allauth's email management and send the admin's login through allauth.

    The Django admin has its own password form; logging in there would skip allauth's rate
    limits and the second factor, so it redirects to the one login page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        name = _url_name(request)
        if name in DISABLED_ACCOUNT_VIEWS:
            raise Http404
        if name == "admin:login":
            target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return redirect(
                f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}"
            )
        return None


class AdminMFAMiddleware:
    """Platform admins must set up two-step verification before they may do anything else.

    Only while settings.NAVET_REQUIRE_MFA_FOR_ADMINS is on (production's default). The MFA
    pages themselves, logging out and re-entering the password stay open.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        if not getattr(settings, "NAVET_REQUIRE_MFA_FOR_ADMINS", False):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_superuser):
            return None
        name = _url_name(request)
        if name.startswith("mfa_") or name in MFA_SETUP_OPEN_VIEWS:
            return None
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(user, types=["totp", "webauthn"]):
            return None
        messages.info(
            request,
            _("Platform administrators must turn on two-step verification before going on."),
        )
        return redirect("mfa_activate_totp")


def is_coordinator(user: object) -> bool:
    """Coordinates a network or a group, or administers the platform."""
    if getattr(user, "is_superuser", False):
        return True
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    from navet.networks.models import Person

    return (
        Person.objects.filter(user_id=pk)
        .filter(Q(coordinated_networks__isnull=False) | Q(coordinated_groups__isnull=False))
        .exists()
    )


# The moment a coordinator's session ends, kept in the session itself (ISO 8601).
SESSION_ENDS_KEY = "navet_session_ends"


def limit_session_lifetime(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """At login, cap a coordinator's session at NAVET_COORDINATOR_SESSION_HOURS from now.

    Everyone else keeps SESSION_COOKIE_AGE. The cap is absolute (activity does not renew it),
    so a forgotten browser on a shared computer does not stay logged in to many people's data.
    """
    session = getattr(request, "session", None)
    if session is None or not is_coordinator(user):
        return
    hours = float(getattr(settings, "NAVET_COORDINATOR_SESSION_HOURS", 8))
    ends = timezone.now() + timedelta(hours=hours)
    session[SESSION_ENDS_KEY] = ends.isoformat()
    session.set_expiry(ends)


class SessionLifetimeMiddleware:
    """Holds every session to the cap that limit_session_lifetime put on it at login.

    The receiver is connected here, so it runs for every login: allauth's, the invitation's,
    the tests'. allauth's "remember me" sets its own expiry after the login; the response
    phase puts the cap back, and a session past its cap is logged out whatever its cookie says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        user_logged_in.connect(limit_session_lifetime, dispatch_uid="navet-session-lifetime")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ends = self._ends(request)
        if ends is not None and timezone.now() >= ends:
            logout(request)
        response = self.get_response(request)
        ends = self._ends(request)
        session = getattr(request, "session", None)
        if (
            ends is not None
            and session is not None
            and not session.get_expire_at_browser_close()
            and session.get_expiry_date() > ends
        ):
            session.set_expiry(ends)
        return response

    @staticmethod
    def _ends(request: HttpRequest) -> datetime | None:
        session = getattr(request, "session", None)
        value = session.get(SESSION_ENDS_KEY) if session is not None else None
        return datetime.fromisoformat(value) if isinstance(value, str) else None


class PrivateCacheMiddleware:
    """No shared cache or browser history keeps a page that a logged-in person was shown.

    Every response to a logged-in user that does not choose its own Cache-Control gets
    ``private, no-store`` and ``Vary: Cookie``; public pages for anonymous visitors are left
    alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ("Cookie",))
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than the upload limit before anything reads it.

    Django streams uploaded files to disk whatever their size and only the form refuses them
    afterwards; a body that says it is larger than ``NAVET_MAX_UPLOAD_MB`` (and a little for
    the other fields) is answered 413 at once, with a page that says what to do.
    """

    MARGIN = 1_000_000

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.NAVET_MAX_UPLOAD_BYTES
        if length > limit + self.MARGIN:
            body = render_to_string(
                "413.html", {"limit_mb": round(limit / 1_000_000)}, request=request
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
