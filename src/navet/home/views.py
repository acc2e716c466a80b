"""The start page and the profile: thin views over one selector and one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from navet.core.views import apply_errors
from navet.home import selectors, services
from navet.home.forms import ProfileForm
from navet.networks import selectors as network_selectors
from navet.networks.permissions import person_of


def start_page(request: HttpRequest) -> HttpResponse:
    """``/`` for a logged-in person (``networks:home`` dispatches here)."""
    page = selectors.start_page(user=request.user)
    return render(request, "home/start_page.html", {"page": page})


def network_list(request: HttpRequest) -> HttpResponse:
    """Every network, as the public start page lists them (reachable when logged in too)."""
    return render(request, "networks/home.html", {"networks": network_selectors.network_list()})


@login_required
def profile(request: HttpRequest) -> HttpResponseBase:
    person = person_of(request.user)
    if person is None:
        return render(request, "home/profile_none.html")
    form = ProfileForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        try:
            services.profile_update(actor=request.user, person=person, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("home:profile")
    return render(
        request,
        "home/profile.html",
        {"form": form, "person": person, **selectors.profile(person=person)},
    )
