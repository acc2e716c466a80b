"""Targets: the services' rules and audit trail, and the forms that call them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from navet.core.models import AuditEntry
from navet.indicators import services
from navet.indicators.models import Indicator, Target
from navet.networks.models import Organisation
from tests.factories import UserFactory, county_board, organisation
from tests.indicators.test_followup import make_indicator, sdg_target, store

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]

BORAS = "1490"


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def create(org: Organisation, indicator: Indicator, **fields: Any) -> Target:
    fields.setdefault("desired_state", "Mindre matsvinn i skolan.")
    return services.target_create(
        actor=UserFactory(),
        organisation=org,
        data=services.TargetInput(indicator=indicator, **fields),
    )


# Services


def test_create_writes_the_target_and_an_audit_entry() -> None:
    actor = UserFactory()
    org, indicator = organisation(BORAS), make_indicator()
    target = services.target_create(
        actor=actor,
        organisation=org,
        data=services.TargetInput(
            indicator=indicator,
            sdg_target=sdg_target("12.3"),
            strategy_link=" Robust samhälle ",
            baseline_year=2019,
            baseline_value=70,
            target_value=40,
            desired_state="Halverat matsvinn.",
            steering_document="Miljöprogram",
            steering_document_url="https://www.boras.se/miljoprogram",
        ),
    )
    target.refresh_from_db()
    assert (target.organisation, target.indicator, target.target_year) == (org, indicator, 2030)
    assert target.strategy_link == "Robust samhälle"
    assert target.position == 0
    entry = AuditEntry.objects.get(action="indicator_target.added")
    assert entry.actor == actor
    assert entry.object_type == "indicators.target" and entry.object_id == str(target.pk)
    assert entry.data["indicator"]["id"] == indicator.pk
    assert entry.data["organisation"]["str"] == "Borås"
    assert entry.data["target_value"] == 40 and entry.data["baseline_year"] == 2019


def test_new_targets_go_last() -> None:
    org = organisation(BORAS)
    first = create(org, make_indicator("A"))
    second = create(org, make_indicator("B"))
    placed = create(org, make_indicator("C"), position=0)
    assert (first.position, second.position, placed.position) == (0, 1, 0)


@pytest.mark.usefixtures("in_english")
def test_target_year_must_come_after_the_baseline_year() -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(organisation(BORAS), make_indicator(), baseline_year=2030, target_year=2030)
    assert errors_of(excinfo) == {
        "target_year": ["The target year must come after the baseline year (2030)."]
    }
    assert not Target.objects.exists()


@pytest.mark.usefixtures("in_english")
def test_an_indicator_only_once_per_organisation() -> None:
    org, indicator = organisation(BORAS), make_indicator()
    create(org, indicator)
    with pytest.raises(ValidationError) as excinfo:
        create(org, indicator)
    assert errors_of(excinfo) == {
        "indicator": [
            "Borås already has a target for “Måltidssvinn”. Change that target instead of "
            "adding a second one."
        ]
    }
    # Another organisation may follow the same indicator.
    create(organisation("1764"), indicator)
    assert Target.objects.filter(indicator=indicator).count() == 2


@pytest.mark.usefixtures("in_english")
def test_a_target_needs_a_value_or_words_but_words_alone_will_do() -> None:
    org = organisation(BORAS)
    with pytest.raises(ValidationError) as excinfo:
        create(org, make_indicator("A"), desired_state="  ")
    assert errors_of(excinfo) == {
        "target_value": ["Give a target value, or describe the desired state in words."]
    }
    qualitative = create(org, make_indicator("B"), desired_state="Alla skolor mäter svinnet.")
    assert qualitative.target_value is None and qualitative.baseline_year is None


def test_the_baseline_value_defaults_to_the_stored_value_of_the_baseline_year() -> None:
    org = organisation(BORAS)
    indicator = make_indicator()
    store(indicator, org, {2019: 70, 2021: 58})
    store(indicator, organisation("0000"), {2018: 50})
    from_store = create(org, indicator, baseline_year=2019, target_value=40)
    assert from_store.baseline_value == 70
    nothing_stored = create(org, make_indicator("B"), baseline_year=2018, target_value=40)
    assert nothing_stored.baseline_value is None  # Riket's 2018 value is not Borås's
    typed = create(organisation("1764"), indicator, baseline_year=2019, baseline_value=65)
    assert typed.baseline_value == 65


@pytest.mark.usefixtures("in_english")
def test_a_baseline_value_needs_its_year() -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(organisation(BORAS), make_indicator(), baseline_value=70, target_value=40)
    assert errors_of(excinfo) == {"baseline_year": ["Give the year the baseline value is from."]}


@pytest.mark.usefixtures("in_english")
def test_the_target_value_lies_in_the_desired_direction() -> None:
    org = organisation(BORAS)
    with pytest.raises(ValidationError) as excinfo:
        create(org, make_indicator(), baseline_year=2019, baseline_value=70, target_value=80.5)
    assert errors_of(excinfo) == {
        "target_value": [
            "Lower is better for this indicator, so the target value should not be above the "
            "baseline value (70)."
        ]
    }
    higher = make_indicator("H", direction=Indicator.Direction.INCREASE)
    with pytest.raises(ValidationError) as excinfo:
        create(org, higher, baseline_year=2019, baseline_value=60.5, target_value=50)
    assert "baseline value (60,5)" in errors_of(excinfo)["target_value"][0]
    # Without a desired direction any target is fine; keeping the level is fine too.
    create(
        org,
        make_indicator("N", direction=Indicator.Direction.NONE),
        baseline_year=2019,
        baseline_value=70,
        target_value=80,
    )
    create(org, higher, baseline_year=2019, baseline_value=60, target_value=60)


@pytest.mark.usefixtures("in_english")
def test_years_are_checked_and_only_municipalities_and_regions_have_targets() -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(organisation(BORAS), make_indicator("A"), baseline_year=1900, target_year=3000)
    assert set(errors_of(excinfo)) == {"baseline_year", "target_year"}
    for org in (organisation("0000"), county_board("14")):
        with pytest.raises(ValidationError) as excinfo:
            create(org, make_indicator(f"K{org.pk}"))
        assert errors_of(excinfo) == {
            "organisation": ["Targets are set for municipalities and regions only."]
        }
    create(organisation("14"), make_indicator("R"))  # a region


def test_a_bad_link_is_refused_beside_its_field() -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(organisation(BORAS), make_indicator(), steering_document_url="not a link")
    assert list(errors_of(excinfo)) == ["steering_document_url"]


def test_update_checks_the_rules_and_records_what_changed() -> None:
    org = organisation(BORAS)
    target = create(org, make_indicator("A"), target_value=40)
    other = create(org, make_indicator("B", title="Tallrikssvinn"))
    actor = UserFactory()
    services.target_update(
        actor=actor,
        target=target,
        data=services.TargetInput(
            indicator=target.indicator, target_value=35, desired_state="Mindre matsvinn i skolan."
        ),
    )
    target.refresh_from_db()
    assert target.target_value == 35 and target.position == 0
    entry = AuditEntry.objects.get(action="indicator_target.changed")
    assert entry.actor == actor and entry.data["changed"] == ["target_value"]
    # Keeping its own indicator is fine; taking another target's indicator is not.
    with pytest.raises(ValidationError) as excinfo:
        services.target_update(
            actor=actor,
            target=target,
            data=services.TargetInput(indicator=other.indicator, target_value=35),
        )
    assert "Tallrikssvinn" in errors_of(excinfo)["indicator"][0]
    target.refresh_from_db()
    assert target.indicator.code == "A"


def test_delete_removes_the_target_with_an_audit_entry() -> None:
    target = create(organisation(BORAS), make_indicator())
    pk = target.pk
    services.target_delete(actor=UserFactory(), target=target)
    assert not Target.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="indicator_target.deleted")
    assert entry.object_id == str(pk) and entry.data["indicator"]["str"].startswith("Måltidssvinn")


# Views


def add_url(org: Organisation) -> str:
    return reverse("indicators:target_add", args=[org.pk])


def test_a_member_adds_a_target_typed_the_swedish_way(client_for: ClientFor) -> None:
    borås = organisation(BORAS)
    indicator = make_indicator(decimals=1)
    response = client_for("member").post(
        add_url(borås),
        {
            "indicator": indicator.pk,
            "baseline_year": "2019",
            "baseline_value": "70,5",
            "target_year": "2030",
            "target_value": "40,25",
            "desired_state": "Halverat matsvinn.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:followup", args=[borås.pk])
    target = Target.objects.get(organisation=borås)
    assert (target.baseline_value, target.target_value) == (70.5, 40.25)
    assert AuditEntry.objects.filter(action="indicator_target.added").count() == 1


@pytest.mark.usefixtures("in_english")
def test_the_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(
    client_for: ClientFor,
) -> None:
    borås = organisation(BORAS)
    indicator = make_indicator()
    with translation.override("en"):
        response = client_for("member").post(
            add_url(borås),
            {
                "indicator": indicator.pk,
                "baseline_year": "2022",
                "target_year": "2020",
                "desired_state": "Halverat matsvinn i alla skolor.",
                "steering_document": "Miljöprogram 2021–2030",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_target_year_error"' in html
    assert "The target year must come after the baseline year (2022)." in html
    assert "Halverat matsvinn i alla skolor.</textarea>" in html
    assert 'value="Miljöprogram 2021–2030"' in html
    assert 'value="2020"' in html
    assert f'<option value="{indicator.pk}" selected>' in html
    assert not Target.objects.exists()


def test_a_duplicate_indicator_is_refused_on_the_indicator_field(client_for: ClientFor) -> None:
    borås = organisation(BORAS)
    indicator = make_indicator()
    create(borås, indicator)
    with translation.override("en"):
        response = client_for("member").post(
            add_url(borås),
            {"indicator": indicator.pk, "target_year": "2030", "target_value": "10"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert 'id="id_indicator_error"' in response.content.decode()
    assert Target.objects.count() == 1


def test_the_edit_form_starts_from_the_target_and_saves(client_for: ClientFor) -> None:
    borås = organisation(BORAS)
    target = create(
        borås,
        make_indicator(decimals=1),
        baseline_year=2019,
        baseline_value=70.5,
        target_value=40,
        steering_document="Kostpolicy",
    )
    url = reverse("indicators:target_edit", args=[borås.pk, target.pk])
    client = client_for("member")  # a strategist of Borås
    html = client.get(url).content.decode()
    assert 'value="70,5"' in html  # shown the Swedish way
    assert 'value="Kostpolicy"' in html
    data = {
        "indicator": target.indicator.pk,
        "baseline_year": "2019",
        "baseline_value": "70,5",
        "target_year": "2035",
        "target_value": "30",
        "desired_state": "Ännu mindre svinn.",
        "position": "3",
    }
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert (target.target_year, target.target_value, target.position) == (2035, 30, 3)


def test_delete_asks_first_then_deletes(client_for: ClientFor) -> None:
    borås = organisation(BORAS)
    target = create(borås, make_indicator())
    url = reverse("indicators:target_delete", args=[borås.pk, target.pk])
    client = client_for("member")
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Måltidssvinn" in confirm.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    assert client.post(url).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_those_who_may_not_edit_change_nothing(client_for: ClientFor) -> None:
    borås = organisation(BORAS)
    target = create(borås, make_indicator())
    delete_url = reverse("indicators:target_delete", args=[borås.pk, target.pk])
    for role in ("outsider", "partner", "other_coordinator", "group_coordinator"):
        assert client_for(role).post(delete_url).status_code == 403
    anonymous = client_for("anonymous").post(delete_url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("account_login")
    )
    assert Target.objects.filter(pk=target.pk).exists()


def test_a_target_is_only_reached_through_its_own_organisation(client_for: ClientFor) -> None:
    target = create(organisation("1764"), make_indicator())
    borås = organisation(BORAS)
    for name in ("target_edit", "target_delete"):
        url = reverse(f"indicators:{name}", args=[borås.pk, target.pk])
        assert client_for("member").get(url).status_code == 404
