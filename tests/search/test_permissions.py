"""Search never reveals what the searcher may not see: no hit, no title, no snippet, no total
and no facet count of a restricted document, for each role."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from navet.documents.models import Document
from navet.documents.permissions import visible_documents
from navet.documents.services import document_delete, document_update
from navet.search.selectors import search, visible_entries

Visibility = Document.Visibility
SECRET = "sekretessmarkering"

# Which of the three restricted documents each role may see.
EXPECTED = {
    "anonymous": set(),
    "outsider": set(),
    "member": set(),
    "partner": set(),
    "group_coordinator": set(),
    "other_coordinator": {"Ekonomi i Fairtrade Sverige"},
    "network_coordinator": {"Samordnarnas anteckningar", "Fairtradegruppens underlag"},
    "admin": {
        "Samordnarnas anteckningar",
        "Fairtradegruppens underlag",
        "Ekonomi i Fairtrade Sverige",
    },
}


@pytest.fixture
def restricted(network, group_fairtrade, other_network, make_document) -> list[Document]:
    return [
        make_document(
            network,
            "Samordnarnas anteckningar",
            f"Budgetsiffra 9137 och {SECRET} för samordnare.",
            visibility=Visibility.COORDINATORS,
            year=2024,
        ),
        make_document(
            network,
            "Fairtradegruppens underlag",
            f"Gruppens interna {SECRET} med kod 5521.",
            visibility=Visibility.GROUP,
            group=group_fairtrade,
            year=2023,
        ),
        make_document(
            other_network,
            "Ekonomi i Fairtrade Sverige",
            f"Medlemmarnas {SECRET}, kontonummer 7788.",
            visibility=Visibility.MEMBERS,
            year=2022,
        ),
    ]


def user_of(roles: dict[str, Any], role: str) -> Any:
    return roles[role] or AnonymousUser()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_a_word_only_in_restricted_documents(role, roles, restricted) -> None:
    results = search(user_of(roles, role), SECRET)
    expected = EXPECTED[role]
    assert {hit.title for hit in results.hits} == expected
    assert results.total == len(expected)
    assert sum(f.count for f in results.kinds) == len(expected)
    assert sum(f.count for f in results.networks) == len(expected)
    assert sum(f.count for f in results.years) == len(expected)
    seen = {d.year for d in restricted if d.title in expected}
    assert {f.value for f in results.years} == seen
    seen_networks = {d.network for d in restricted if d.title in expected}
    assert {f.value for f in results.networks} == seen_networks


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_page_shows_no_title_snippet_or_count(role, client_for, restricted) -> None:
    response = client_for(role).get("/search/", {"q": SECRET})
    assert response.status_code == 200
    page = response.content.decode()
    expected = EXPECTED[role]
    for document, code in zip(restricted, ("9137", "5521", "7788"), strict=True):
        if document.title in expected:
            assert document.title in page
            assert code in page
        else:
            assert document.title not in page
            assert code not in page
    results = response.context["results"]
    assert results.total == len(expected)
    if expected:
        # The page speaks Swedish: "1 träff", "2 träffar".
        assert f"{len(expected)} träff" in page
    else:
        # Not even a facet list with zeros: nothing about the restricted documents.
        assert "search-facets" not in page
        assert 'class="search-hit"' not in page
        assert "(1)" not in page


def test_counts_exclude_restricted_documents_next_to_visible_ones(
    roles, network, other_network, make_document, restricted
) -> None:
    make_document(network, "Öppen rapport", f"En offentlig {SECRET}.", year=2021)
    results = search(roles["member"], SECRET)
    assert [hit.title for hit in results.hits] == ["Öppen rapport"]
    assert results.total == 1
    assert [(f.value, f.count) for f in results.kinds] == [("document", 1)]
    assert [(f.value, f.count) for f in results.networks] == [(network, 1)]
    assert [(f.value, f.count) for f in results.years] == [(2021, 1)]
    # The year filter of a restricted document's year counts nothing either.
    assert search(roles["member"], SECRET, year=2024).total == 0
    assert search(roles["member"], SECRET, network=other_network).total == 0


def test_group_documents_are_found_by_the_groups_participants(
    roles, network, group_klimat, make_document
) -> None:
    make_document(
        network,
        "Klimatgruppens arbetsmaterial",
        "Utsläppsbudget för gruppen.",
        visibility=Visibility.GROUP,
        group=group_klimat,
    )
    found = {role: search(user_of(roles, role), "utsläppsbudget").total for role in EXPECTED}
    assert found == {
        "anonymous": 0,
        "outsider": 0,
        "member": 0,
        "partner": 1,  # a guest in the Klimat group
        "group_coordinator": 1,
        "other_coordinator": 0,
        "network_coordinator": 1,
        "admin": 1,
    }


def test_members_documents_are_found_by_members_not_the_public(
    roles, network, make_document
) -> None:
    make_document(
        network,
        "Protokoll från nätverksträffen",
        "Beslut om årsavgiften.",
        visibility=Visibility.MEMBERS,
    )
    found = {role: search(user_of(roles, role), "årsavgiften").total for role in EXPECTED}
    assert found == {
        "anonymous": 0,
        "outsider": 0,
        "member": 1,
        "partner": 1,  # group guests count as the network's members
        "group_coordinator": 1,
        "other_coordinator": 0,
        "network_coordinator": 1,
        "admin": 1,
    }


def test_people_are_found_only_by_those_who_may_see_them(roles, network, committed) -> None:
    from tests.factories import PersonFactory, organisation

    with committed():
        PersonFactory(
            first_name="Zlatana",
            last_name="Unikperson",
            title="Klimatstrateg",
            organisation=organisation("1490"),
            registered_by_network=network,
            email="zlatana@boras.test",
            phone="070-1234567",
        )
    found = {role: search(user_of(roles, role), "Unikperson").total for role in EXPECTED}
    assert found == {
        "anonymous": 0,
        "outsider": 0,
        "member": 1,
        "partner": 0,  # a guest does not see the network's people directory
        "group_coordinator": 1,
        "other_coordinator": 0,
        "network_coordinator": 1,
        "admin": 1,
    }
    # What the index holds is what the person's page shows: no email address, no phone.
    assert search(roles["admin"], "zlatana@boras.test").total == 0
    assert search(roles["admin"], "1234567").total == 0


def test_cancelled_meetings_are_hidden_from_the_public(roles, network, committed) -> None:
    from navet.meetings.models import Meeting
    from tests.meetings.factories import MeetingFactory

    with committed():
        MeetingFactory(network=network, title="Inställd träff", agenda="Punkt: solcellsparker")
        MeetingFactory(
            network=network,
            title="Ställdes in",
            agenda="Punkt: solcellsparker igen",
            status=Meeting.Status.CANCELLED,
        )
    assert search(AnonymousUser(), "solcellsparker").total == 1
    assert search(roles["network_coordinator"], "solcellsparker").total == 2


@pytest.fixture
def every_placement(network, other_network, group_klimat, group_fairtrade, make_document):
    """A document of each visibility in each network, and under each group."""
    documents = []
    for visibility in Visibility.values:
        for where, owner, group in [
            ("nätverket", network, None),
            ("Klimat", network, group_klimat),
            ("Fairtrade", network, group_fairtrade),
            ("andra nätverket", other_network, None),
        ]:
            title = f"{visibility} i {where}"
            documents.append(
                make_document(owner, title, "placering", visibility=visibility, group=group)
            )
    return documents


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_search_applies_the_archives_rule_to_each_entry(role, roles, every_placement) -> None:
    """The search tests the rule on the index's copy of visibility, network and group: for
    every role it finds exactly the documents the archive shows."""
    user = user_of(roles, role)
    archive = set(visible_documents(user).values_list("pk", flat=True))
    found = set(visible_entries(user, ["document"]).values_list("object_id", flat=True))
    assert found == archive
    assert {hit.object_id for hit in search(user, "placering", per_page=100).hits} == archive
    if role == "anonymous":
        assert len(archive) == 4  # the public ones
    if role == "admin":
        assert len(archive) == len(every_placement)


def test_a_change_of_visibility_is_searched_at_once(roles, network, make_document) -> None:
    """The index's copy is written in the transaction that changes the document, not after
    the commit: here no on-commit callback ever runs."""
    document = make_document(network, "Öppen plan", "Ändrad synlighet.")
    member = roles["member"]
    assert search(member, "synlighet").total == 1
    document_update(
        actor=roles["network_coordinator"], document=document, visibility=Visibility.COORDINATORS
    )
    assert search(member, "synlighet").total == 0
    assert search(roles["network_coordinator"], "synlighet").total == 1
    document_delete(actor=roles["network_coordinator"], document=document)
    assert search(roles["network_coordinator"], "synlighet").total == 0
