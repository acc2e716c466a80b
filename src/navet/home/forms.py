from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from navet.networks.models import Person, role_category_choices


class ProfileForm(forms.ModelForm):
    """A person's own fields. Changing the email address (the login) asks for the password."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Only needed when you change your email address."),
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "title", "phone", "role_category", "email"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].required = True
        self.fields["role_category"].choices = role_category_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = (cleaned.get("email") or "").strip().lower()
        changed = bool(email) and email != (self.instance.email or "").lower()
        if changed and not self.user.check_password(cleaned.get("password") or ""):
            self.add_error(
                "password", _("Give your password to change the address you log in with.")
            )
        return cleaned

    def _post_clean(self) -> None:
        # The service checks and saves; the model's own validation would look up the email
        # among people without the account's rules.
        pass
