"""Forms of the archive. Choice lists (groups, meetings) come from the permission functions
scoped to the network, so a posted id outside them is refused like any other bad choice."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from navet.core import bounds
from navet.documents.models import Document
from navet.indicators.models import SdgGoal
from navet.meetings.models import Meeting
from navet.networks.models import Group


def _capitalised(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(value, capfirst(label)) for value, label in choices]


TAGS_HELP = _("Comma separated, e.g. “klimat, upphandling”.")


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SdgGoal) -> str:
        return str(obj)


class DocumentFieldsForm(forms.Form):
    """What a document says about itself: shared by the upload and the edit form."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ChoiceField(
        label=_("Kind"),
        choices=_capitalised(Document.Category.choices),
        initial=Document.Category.OTHER,
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole network"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("No meeting"),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=[("", _("As where it is filed")), *_capitalised(Document.Visibility.choices)],
        help_text=_(
            "A group's document is for its participants; a meeting's or the network's for the "
            "network's members."
        ),
        required=False,
    )
    tags = forms.CharField(label=_("Tags"), max_length=1000, required=False, help_text=TAGS_HELP)
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=bounds.EARLIEST_YEAR,
        max_value=bounds.LATEST_YEAR,
        help_text=_("Empty: the meeting's year, or this year."),
    )
    goals = GoalChoiceField(
        label=_("Agenda 2030 goals"),
        queryset=SdgGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        meetings: QuerySet[Meeting],
        group_required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        if group_required:
            group = self.fields["group"]
            group.required = True
            group.empty_label = None  # type: ignore[attr-defined]
            group.help_text = _("You file documents under the groups you coordinate.")

    def clean_tags(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [tag.strip() for tag in text.split(",") if tag.strip()]

    def clean_visibility(self) -> str | None:
        return self.cleaned_data.get("visibility") or None


class DocumentUploadForm(DocumentFieldsForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        allow_empty_file=True,  # the service says so, with the other upload checks
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or an image. Or give a link "
            "below instead."
        ),
    )
    url = forms.CharField(
        label=_("Or a link"),
        max_length=1000,
        required=False,
        help_text=_("A recording or an external report, starting with https://."),
    )
    field_order = ["file", "url", "title"]


class DocumentEditForm(DocumentFieldsForm):
    url = forms.CharField(label=_("Link"), max_length=1000, required=False)
    field_order = ["title", "url"]

    def __init__(self, *args: Any, is_link: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_link:
            del self.fields["url"]
        else:
            self.fields["url"].required = True


class VersionForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("What changed, e.g. “corrected figures on page 3”."),
    )


class ArchiveFilterForm(forms.Form):
    """The archive's filters, from the query string: a value that is not a choice is ignored
    (the page shows every document) rather than an error."""

    q = forms.CharField(label=_("Title contains"), max_length=200, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All groups"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("All meetings"),
    )
    category = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *_capitalised(Document.Category.choices)],
        required=False,
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[Group],
        meetings: QuerySet[Meeting],
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years"))] + [  # type: ignore[attr-defined]
            (year, str(year)) for year in years
        ]
