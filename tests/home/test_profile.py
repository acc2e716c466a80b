"""A person edits their own profile; role categories are a table an admin extends."""

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse
from django.utils import translation

from navet.accounts.models import User
from navet.core.models import AuditEntry
from navet.networks.models import (
    Group,
    Person,
    RoleCategory,
    role_category_choices,
)
from navet.networks.role_categories import ROLE_CATEGORIES, role_category_lookup
from tests.factories import (
    PASSWORD,
    ContactAssignmentFactory,
    GroupMembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
URL = "/profile/"


def form_data(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "title": person.title,
        "phone": person.phone,
        "role_category": person.role_category,
        "email": person.email,
        "password": "",
    }
    data.update(changes)
    return data


def test_the_header_links_to_the_profile(client_for: Callable[[str], Client]) -> None:
    html = client_for("member").get(reverse("networks:home")).content.decode()
    assert f'href="{URL}"' in html
    assert reverse("home:profile") == URL


def test_a_person_changes_their_own_name_title_phone_and_role(
    roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    member = Person.objects.get(user=roles["member"])
    response = client_for("member").post(
        URL,
        form_data(
            member, first_name="Åsa", last_name="Öberg", title="Upphandlare",
            phone="033-35 70 00", role_category="upphandlare",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.title, member.phone) == (
        "Åsa", "Öberg", "Upphandlare", "033-35 70 00"
    )  # fmt: skip
    assert member.role_category == "upphandlare"
    assert AuditEntry.objects.filter(action="person.profile_changed", object_id=str(member.pk))


def test_changing_the_email_changes_the_login_and_needs_the_password(
    roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    user = roles["member"]
    assert user is not None
    member = Person.objects.get(user=user)
    client = client_for("member")
    response = client.post(URL, form_data(member, email="ny@boras.test"))
    assert response.status_code == 200
    assert "lösenord" in response.content.decode() or "password" in response.content.decode()
    response = client.post(URL, form_data(member, email="Ny@Boras.test", password=PASSWORD))
    assert response.status_code == 302
    user.refresh_from_db()
    member.refresh_from_db()
    assert user.email == member.email == "ny@boras.test"
    assert authenticate(email="ny@boras.test", password=PASSWORD) == user
    assert [e.email for e in EmailAddress.objects.filter(user=user)] == ["ny@boras.test"]


def test_an_email_someone_else_has_is_refused_in_swedish(
    roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    member = Person.objects.get(user=roles["member"])
    taken = PersonFactory(email="upptagen@kommun.test")
    client = client_for("member")
    client.cookies["django_language"] = "sv"
    for email in (taken.email, "samordnare@vgregion.test"):  # a person's, an account's
        response = client.post(URL, form_data(member, email=email.upper(), password=PASSWORD))
        assert response.status_code == 200
        assert response.context["form"].errors["email"]
    member.refresh_from_db()
    assert member.email != taken.email
    with translation.override("sv"):
        from navet.home.services import _check_email_free

        with pytest.raises(Exception) as error:
            _check_email_free(taken.email, member)
    assert "används redan" in str(error.value) or "already" in str(error.value)


def test_fields_that_are_not_the_persons_own_stay(
    roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    member = Person.objects.get(user=roles["member"])
    organisation_id = member.organisation_id
    data = form_data(member, first_name="Ny")
    data["organisation"] = "1"
    data["registered_by_network"] = ""
    assert client_for("member").post(URL, data).status_code == 302
    member.refresh_from_db()
    assert member.organisation_id == organisation_id and member.first_name == "Ny"


def test_the_profile_lists_the_groups_and_contact_assignments(
    group_klimat: Group, roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    member = Person.objects.get(user=roles["member"])
    GroupMembershipFactory(group=group_klimat, person=member)
    ContactAssignmentFactory(network=group_klimat.network, person=member)
    html = client_for("member").get(URL).content.decode()
    assert group_klimat.name in html and group_klimat.network.name in html
    assert member.organisation.name in html


def test_an_account_without_a_person_gets_a_page_saying_so(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("admin").get(URL)
    assert response.status_code == 200
    assert "home/profile_none.html" in [t.name for t in response.templates]
    assert client_for("anonymous").get(URL).status_code == 302


def test_the_role_categories_cover_the_officials_the_seeds_name() -> None:
    codes = set(RoleCategory.objects.values_list("code", flat=True))
    # The codes that people, imports and the target editors' rule have always used.
    assert set(Person.RoleCategory.values) <= codes
    with translation.override("sv"):
        names = {name.casefold() for _code, name in role_category_choices()}
    for name in (
        "miljöstrateg", "hållbarhetsstrateg", "energistrateg", "kommunekolog",
        "energi- och klimatrådgivare", "fairtrade-samordnare", "upphandlare", "controller/ekonom",
        "samhällsbyggnad/planerare", "gis", "chef", "politiker", "nätverkssamordnare", "annan",
    ):  # fmt: skip
        assert name in names, name
    assert any(name.startswith("va") for name in names)
    assert len(ROLE_CATEGORIES) == len(codes)


def test_a_category_an_admin_adds_is_offered_imported_and_shown_in_the_current_language(
    roles: dict[str, User | None], client_for: Callable[[str], Client]
) -> None:
    RoleCategory.objects.create(
        code="klimatstrateg", name_sv="Klimatstrateg", name_en="Climate strategist", order=5
    )
    html = client_for("member").get(URL).content.decode()
    assert 'value="klimatstrateg"' in html
    assert role_category_lookup()["klimatstrateg"] == "klimatstrateg"
    assert role_category_lookup()["climate strategist"] == "klimatstrateg"
    assert role_category_lookup()["miljöstrateg"] == "miljostrateg"
    member = Person.objects.get(user=roles["member"])
    member.role_category = "klimatstrateg"
    member.title = ""
    member.save()
    with translation.override("sv"):
        assert member.get_role_category_display() == "Klimatstrateg"
    with translation.override("en"):
        assert member.get_role_category_display() == "Climate strategist"
    client = client_for("member")
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("networks:person_detail", args=[member.pk])).content.decode()
    assert "Klimatstrateg" in page


def test_the_admin_lists_role_categories(client_for: Callable[[str], Client]) -> None:
    response = client_for("admin").get(reverse("admin:networks_rolecategory_changelist"))
    assert response.status_code == 200
    assert "Upphandlare" in response.content.decode()
