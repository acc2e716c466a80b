"""Views: the indicator catalogue (searchable and filtered), Agenda 2030's goals and targets
with the indicators that follow each up, and one indicator set. All public: the catalogue
describes open statistics."""

from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from navet.indicators import permissions
from navet.indicators.models import (
    Indicator,
    IndicatorSetEntry,
    SdgGoal,
    SdgTarget,
)

PAGE_SIZE = 50


class CatalogueFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    set = forms.ChoiceField(label=_("Indicator set"), required=False)
    goal = forms.TypedChoiceField(
        label=_("Agenda 2030 goal"), required=False, coerce=int, empty_value=None
    )
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sets = list(
            permissions.indicator_sets.instances_user_has_permission_for(user, "view")
            .select_related(None)
            .only("slug", "name", "kind")
        )
        self.goals = list(SdgGoal.objects.all())
        everything = ("", _("All"))
        choices: dict[str, list[tuple[Any, Any]]] = {
            "set": [everything, *((s.slug, s.name) for s in self.sets)],
            "goal": [everything, *((g.number, str(g)) for g in self.goals)],
            "dimension": [everything, *Indicator.Dimension.choices],
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices

    def filter(self, indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
        if not self.is_valid():
            return indicators
        data = self.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            indicators = indicators.filter(
                Q(title__icontains=text) | Q(code__icontains=text) | Q(keyword__icontains=text)
            )
        if data["set"]:
            indicators = indicators.filter(set_entries__indicator_set__slug=data["set"])
        if data["goal"] is not None:
            indicators = indicators.filter(goals__number=data["goal"])
        if data["dimension"]:
            indicators = indicators.filter(dimension=data["dimension"])
        return indicators

    @property
    def active(self) -> bool:
        return self.is_valid() and any(
            value not in ("", None) for value in self.cleaned_data.values()
        )


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilter(request.GET or None, user=request.user)
    indicators = form.filter(
        Indicator.objects.select_related("network").prefetch_related(
            Prefetch("goals", queryset=SdgGoal.objects.order_by("number"))
        )
    )
    page = Paginator(indicators.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/catalogue/catalogue.html",
        {"form": form, "page": page, "indicators": page.object_list, "sets": form.sets},
    )


def agenda2030(request: HttpRequest) -> HttpResponse:
    linked = Indicator.objects.order_by("code").only("code", "title", "is_demo")
    goals = SdgGoal.objects.prefetch_related(
        Prefetch(
            "targets",
            queryset=SdgTarget.objects.order_by("position").prefetch_related(
                Prefetch("indicators", queryset=linked)
            ),
        ),
        Prefetch("indicators", queryset=linked),
    )
    return render(request, "indicators/catalogue/agenda2030.html", {"goals": goals})


def set_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator_set = permissions.indicator_sets.get_or_404(request.user, "view", slug=slug)
    entries = list(
        IndicatorSetEntry.objects.filter(indicator_set=indicator_set)
        .select_related("indicator")
        .prefetch_related(Prefetch("indicator__goals", queryset=SdgGoal.objects.order_by("number")))
        .order_by("position", "indicator__code")
    )
    return render(
        request,
        "indicators/catalogue/set_detail.html",
        {
            "indicator_set": indicator_set,
            "entries": entries,
            "has_areas": any(entry.area for entry in entries),
        },
    )


urlpatterns: list[URLPattern] = [
    path("indicators/", catalogue, name="catalogue"),
    path("indicators/agenda-2030/", agenda2030, name="agenda2030"),
    path("indicators/sets/<slug:slug>/", set_detail, name="set_detail"),
]
