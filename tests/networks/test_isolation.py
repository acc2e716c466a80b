"""Network B's coordinator against network A's people: the probe's takeover, step by step, and
the rules that guard a person's identity (email, organisation, account)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from navet.accounts.models import User
from navet.networks import permissions
from navet.networks.models import GroupMembership, Network, Person
from tests.factories import (
    GroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    organisation,
)

ClientFor = Callable[[str], Client]
PASSWORD = "Tallbarr-och-granris-42"
pytestmark = pytest.mark.django_db


@pytest.fixture
def a_coordinator_without_account(network: Network) -> Person:
    """A second coordinator of network A, registered but not yet invited."""
    person = PersonFactory(
        organisation=organisation("14"),
        first_name="Asta",
        last_name="Samordnare",
        email="asta@vgregion.test",
        phone="010-441 00 00",
    )
    network.coordinators.add(person)
    return person


def person_form(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "title": person.title,
        "role_category": person.role_category,
        "organisation": person.organisation_id,
    }
    data.update(changes)
    return data


def test_the_probes_takeover_is_refused_step_by_step(
    network: Network,
    other_network: Network,
    a_coordinator_without_account: Person,
    client_for: ClientFor,
) -> None:
    """B's coordinator changes the email of A's coordinator and invites her to receive the
    set-password link: every step is refused, with B's slug and with A's."""
    victim = a_coordinator_without_account
    attacker = client_for("other_coordinator")
    for slug in (other_network.slug, network.slug):
        edit = reverse("networks:person_edit", args=[slug, victim.pk])
        invite = reverse("networks:person_invite", args=[slug, victim.pk])
        assert attacker.get(edit).status_code in {403, 404}
        response = attacker.post(edit, person_form(victim, email="attacker@evil.test"))
        assert response.status_code in {403, 404}
        assert attacker.post(invite).status_code in {403, 404}

    victim.refresh_from_db()
    assert victim.email == "asta@vgregion.test"
    assert victim.user is None
    assert not User.objects.filter(email__in=["attacker@evil.test", "asta@vgregion.test"]).exists()
    assert mail.outbox == []
    # Nor can B's coordinator read her by counting up the key.
    page = attacker.get(reverse("networks:person_detail", args=[victim.pk]))
    assert page.status_code == 404
    assert "010-441 00 00" not in page.content.decode()


def test_no_one_reads_every_person_by_counting_up_the_key(
    network: Network, roles: dict[str, User | None], client_for: ClientFor
) -> None:
    attacker = client_for("other_coordinator")
    for person in Person.objects.exclude(user=roles["other_coordinator"]):
        response = attacker.get(reverse("networks:person_detail", args=[person.pk]))
        assert response.status_code == 404, person
        assert person.email not in response.content.decode()


def test_a_coordinator_cannot_move_a_person_into_another_networks_member(
    network: Network, other_network: Network, client_for: ClientFor
) -> None:
    """Moving B's member into Borås made them a member of A: Borås is not offered to B."""
    molndal = organisation("1481")
    MembershipFactory(network=other_network, organisation=molndal)
    person = PersonFactory(organisation=molndal, registered_by_network=other_network)
    client = client_for("other_coordinator")
    url = reverse("networks:person_edit", args=[other_network.slug, person.pk])
    form = client.get(url).context["form"]
    assert organisation("1490") not in form.fields["organisation"].queryset
    response = client.post(url, person_form(person, organisation=organisation("1490").pk))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    person.refresh_from_db()
    assert person.organisation == molndal


def test_people_are_created_only_in_member_organisations(
    network: Network, client_for: ClientFor
) -> None:
    client = client_for("network_coordinator")
    url = reverse("networks:person_add", args=[network.slug])
    offered = client.get(url).context["form"].fields["organisation"].queryset
    assert list(offered) == [organisation("1490")]  # Borås, the only member
    data = {
        "first_name": "Göta",
        "last_name": "Lejon",
        "email": "gota@goteborg.test",
        "role_category": "annan",
        "organisation": organisation("1480").pk,  # Göteborg: not a member of A
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"]["first_name"].value() == "Göta"  # kept what was typed
    assert not Person.objects.filter(email="gota@goteborg.test").exists()
    created = client.post(url, {**data, "organisation": organisation("1490").pk})
    assert created.status_code == 302
    assert Person.objects.get(email="gota@goteborg.test").registered_by_network == network


def test_groups_offer_only_the_networks_own_people(
    network: Network,
    other_network: Network,
    group_klimat: object,
    client_for: ClientFor,
    roles: dict[str, User | None],
) -> None:
    stranger = PersonFactory(organisation=organisation("1490"))  # Borås, but not taking part
    theirs = PersonFactory(organisation=organisation("1481"), registered_by_network=other_network)
    client = client_for("group_coordinator")
    url = reverse("networks:group_member_add", args=[network.slug, "klimat"])
    offered = set(client.get(url).context["form"].fields["person"].queryset)
    member_person = Person.objects.get(user=roles["member"])
    assert member_person in offered
    assert stranger not in offered and theirs not in offered
    for outsider in (stranger, theirs):
        response = client.post(
            url, {"person": outsider.pk, "role": "participant", "start_date": "2025-01-01"}
        )
        assert response.status_code == 200
        assert "person" in response.context["form"].errors
    assert not GroupMembership.objects.filter(person__in=[stranger, theirs]).exists()


def test_contact_candidates_come_from_the_member_and_the_network(
    network: Network, client_for: ClientFor
) -> None:
    boras = organisation("1490")
    taking_part = PersonFactory(organisation=boras, registered_by_network=network)
    not_taking_part = PersonFactory(organisation=boras)
    client = client_for("network_coordinator")
    offered = set(
        client.get(reverse("networks:contact_assign", args=[network.slug, boras.pk]))
        .context["form"]
        .fields["person"]
        .queryset
    )
    assert taking_part in offered and not_taking_part not in offered
    # An organisation that is not a member has no contact page in the network.
    goteborg = organisation("1480")
    url = reverse("networks:contact_assign", args=[network.slug, goteborg.pk])
    assert client.get(url).status_code == 404


# a person's identity ---------------------------------------------------------------------------


def test_a_coordinator_changes_the_email_of_their_own_person_without_an_account(
    network: Network, client_for: ClientFor
) -> None:
    person = PersonFactory(organisation=organisation("1490"), registered_by_network=network)
    client = client_for("network_coordinator")
    url = reverse("networks:person_edit", args=[network.slug, person.pk])
    assert client.post(url, person_form(person, email="ny@boras.test")).status_code == 302
    person.refresh_from_db()
    assert person.email == "ny@boras.test"


@pytest.mark.parametrize("why", ["has an account", "also in another network"])
def test_the_email_is_locked_for_a_coordinator_once_it_is_not_theirs_alone(
    why: str, network: Network, other_network: Network, client_for: ClientFor
) -> None:
    person = PersonFactory(
        organisation=organisation("1490"),
        email="anna@boras.test",
        title="Miljöstrateg",
        registered_by_network=network,
    )
    if why == "has an account":
        person.user = User.objects.create_user(email="anna@boras.test")
        person.save()
    else:
        GroupMembershipFactory(group=GroupFactory(network=other_network), person=person)
    client = client_for("network_coordinator")
    url = reverse("networks:person_edit", args=[network.slug, person.pk])
    page = client.get(url)
    assert page.context["form"].fields["email"].disabled
    assert "Endast personen" in page.content.decode() or "Only the person" in (
        page.content.decode()
    )
    response = client.post(
        url, person_form(person, email="kapad@evil.test", title="Hållbarhetsstrateg")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "anna@boras.test"  # the POSTed address is ignored
    assert person.title == "Hållbarhetsstrateg"  # other fields still change


def test_editable_fields_by_role(
    network: Network, roles: dict[str, User | None], group_klimat: object
) -> None:
    person = PersonFactory(organisation=organisation("1490"), registered_by_network=network)
    everything = {"first_name", "last_name", "phone", "title", "role_category"} | {
        "email",
        "organisation",
    }
    assert permissions.editable_person_fields(roles["admin"], person, network) == everything
    assert (
        permissions.editable_person_fields(roles["network_coordinator"], person, network)
        == everything
    )
    for role in ("other_coordinator", "group_coordinator", "member", "partner", "outsider"):
        assert permissions.editable_person_fields(roles[role], person, network) == set(), role


def test_only_a_platform_admin_invites_a_network_coordinator(
    network: Network,
    a_coordinator_without_account: Person,
    client_for: ClientFor,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    url = reverse("networks:person_invite", args=[network.slug, a_coordinator_without_account.pk])
    response = client_for("network_coordinator").post(url, follow=True)
    assert mail.outbox == []
    assert "plattformsadministratör" in response.content.decode() or "platform admin" in (
        response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("admin").post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [["asta@vgregion.test"]]


def test_a_deactivated_account_is_not_reopened_by_an_invitation(
    network: Network, client_for: ClientFor
) -> None:
    user = User.objects.create_user(email="gammal@boras.test")
    user.set_unusable_password()
    user.is_active = False
    user.save()
    person = PersonFactory(
        organisation=organisation("1490"),
        email="gammal@boras.test",
        user=user,
        registered_by_network=network,
    )
    url = reverse("networks:person_invite", args=[network.slug, person.pk])
    client_for("network_coordinator").post(url)
    assert mail.outbox == []
    user.refresh_from_db()
    assert not user.is_active


def test_an_old_invitation_link_does_not_reactivate_an_account(
    network: Network, client_for: ClientFor
) -> None:
    from navet.accounts.services import invitation_link

    user = User.objects.create_user(email="gammal@boras.test")
    user.set_unusable_password()
    user.save()
    link = invitation_link(user=user)
    user.is_active = False
    user.save()
    response = Client().post(
        urlsplit(link).path,
        {"new_password1": "Tallbarr-och-granris-42", "new_password2": "Tallbarr-och-granris-42"},
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()


def test_member_list_with_an_impossible_date_shows_the_page_with_a_message(
    network: Network, client_for: ClientFor
) -> None:
    for bad in ("2026-02-30", "9999-12-31", "igår", "2026-13-01"):
        response = client_for("network_coordinator").get(
            reverse("networks:member_list", args=[network.slug]), {"date": bad}
        )
        assert response.status_code == 200, bad
        assert response.context["day"] == timezone.localdate()
        shown = [str(m) for m in response.context["messages"]]
        assert any(bad in message for message in shown), (bad, shown)


# bounds on what is uploaded -------------------------------------------------------------------


def _import(client: Client, network: Network, uploaded: object) -> str:
    response = client.post(
        reverse("networks:import_upload", args=[network.slug]),
        {"kind": "people", "file": uploaded},
    )
    assert response.status_code in {200, 400}
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("personer.csv", bytes(range(256)) * 40, "CSV"),
        ("personer.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(500), "XLSX"),
        ("personer.csv", b"<html><script>alert(1)</script></html>", "CSV"),
    ],
)
def test_an_import_of_random_bytes_is_refused_with_a_message(
    name: str, content: bytes, expected: str, network: Network, client_for: ClientFor
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Person.objects.count()
    page = _import(client_for("network_coordinator"), network, SimpleUploadedFile(name, content))
    assert expected in page
    assert Person.objects.count() == before


def test_an_import_with_a_200000_character_field_is_refused(
    network: Network, client_for: ClientFor
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = "Förnamn;Efternamn;Organisation\nAnna;" + "E" * 200_000 + ";Borås\n"
    uploaded = SimpleUploadedFile("personer.csv", rows.encode())
    before = Person.objects.count()
    page = _import(client_for("network_coordinator"), network, uploaded)
    assert "1000" in page.replace("\xa0", "").replace(" ", "")  # the cell limit is named
    assert Person.objects.count() == before


def test_an_import_over_the_upload_limit_is_refused(
    network: Network, client_for: ClientFor, settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.NAVET_MAX_UPLOAD_BYTES = 1_000
    rows = "Förnamn;Efternamn;Organisation\n" + "Anna;Ek;Borås\n" * 100  # 1 431 bytes
    page = _import(
        client_for("network_coordinator"), network, SimpleUploadedFile("p.csv", rows.encode())
    )
    assert "MB" in page
    assert not Person.objects.filter(last_name="Ek").exists()


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        ("1900-01-01", True),
        ("1899-12-31", False),
        ("2100-12-31", True),
        ("2101-01-01", False),
        ("9999-12-31", False),
    ],
)
def test_membership_dates_stay_within_the_years_navet_keeps(
    day: str, accepted: bool, network: Network, client_for: ClientFor
) -> None:
    url = reverse("networks:membership_add", args=[network.slug])
    data = {"organisation": organisation("1441").pk, "start_date": day}
    response = client_for("network_coordinator").post(url, data)
    assert (response.status_code == 302) is accepted, response.status_code
    if not accepted:
        assert response.context["form"]["start_date"].value() == day  # kept what was typed
        assert "2100" in response.content.decode()
