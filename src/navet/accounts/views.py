from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from navet.accounts import services
from navet.accounts.models import User


def _user_from(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None


def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    user = _user_from(uidb64)
    if user is None or not user.is_active or not default_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="navet.accounts.backends.ModelBackend")
        messages.success(request, _("Welcome to Navet! Your password is set."))
        return redirect("networks:home")
    response: HttpResponse = render(
        request, "accounts/invitation_accept.html", {"form": form, "invited": user}
    )
    return response
