"""The search itself: stemming, weights, snippets, filters, paging, and an index that
follows the documents (new versions, soft deletes) on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from navet.documents.models import Document
from navet.search import indexing, registry
from navet.search.models import SearchEntry
from navet.search.selectors import MAX_QUERY_CHARS, search
from navet.search.stemming import stem
from tests.search.conftest import add_version

anonymous = AnonymousUser()


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kommunerna", "kommun"),
        ("kommunens", "kommun"),
        ("kommun", "kommun"),
        ("hållbarheten", "hållbar"),
        ("förskolor", "förskol"),
        ("cyklar", "cykl"),
        ("arbetet", "arbetet"),
        ("och", "och"),
    ],
)
def test_the_swedish_stem_matches_postgresqls(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_kommunerna_finds_kommun_and_back(db, network, make_document) -> None:
    make_document(network, "Rapport A", "Varje kommun ska redovisa sina utsläpp.")
    make_document(network, "Rapport B", "Alla kommunerna i länet deltar.")
    documents = ["document"]  # the reference organisations are "… kommun" too
    assert set(titles(search(anonymous, "kommunerna", kinds=documents))) == {
        "Rapport A",
        "Rapport B",
    }
    assert set(titles(search(anonymous, "kommun", kinds=documents))) == {"Rapport A", "Rapport B"}
    # Uppercase is folded the same way.
    assert set(titles(search(anonymous, "KOMMUNERNA", kinds=documents))) == {
        "Rapport A",
        "Rapport B",
    }


def test_every_word_must_match(db, network, make_document) -> None:
    make_document(network, "Solceller", "Solceller på skolans tak.")
    make_document(network, "Vindkraft", "Vindkraft vid kusten.")
    assert titles(search(anonymous, "solceller tak")) == ["Solceller"]
    assert search(anonymous, "solceller kusten").total == 0


def test_a_title_hit_ranks_above_a_body_hit(db, network, make_document) -> None:
    now = timezone.now()
    # The body hit is newer and mentions the word twice: the title still wins.
    make_document(
        network,
        "Trafikplan för regionen",
        "Om cykelvägar och cykelvägar.",
        created_at=now,
    )
    make_document(
        network,
        "Cykelvägar i Borås",
        "Plan för trafiken.",
        created_at=now - datetime.timedelta(days=30),
    )
    assert titles(search(anonymous, "cykelvägar")) == [
        "Cykelvägar i Borås",
        "Trafikplan för regionen",
    ]


def test_the_snippet_marks_the_hit_and_escapes_the_text(db, network, make_document) -> None:
    make_document(
        network,
        "Skript",
        'Inledning <script>alert("x")</script> & <img src=x onerror=alert(1)>'
        " om klimatpolitik i kommunen.",
    )
    [hit] = search(anonymous, "klimatpolitik").hits
    assert "<mark>klimatpolitik</mark>" in hit.snippet
    assert "<script" not in hit.snippet
    assert "<img" not in hit.snippet
    assert "&amp;" in hit.snippet
    # Nothing but <mark> is markup.
    assert hit.snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def _filler(first: int, count: int) -> str:
    return " ".join(f"ord{n}" for n in range(first, first + count)) + "."


def test_a_long_text_is_quoted_around_its_hit_in_whole_words(db, network, make_document) -> None:
    text = f"{_filler(0, 600)} Här står det om fladdermusholkar i parken. {_filler(600, 600)}"
    make_document(network, "Rapport", text)
    [hit] = search(anonymous, "fladdermusholkar").hits
    assert "<mark>fladdermusholkar</mark> i parken" in hit.snippet
    words = hit.snippet.replace("<mark>", "").replace("</mark>", "").split()
    assert "ord0" not in words  # not the start of the text
    # No word cut at the snippet's ends: each is a word of the text.
    assert set(words) - {"…"} <= set(text.split()), words


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's prefix search finds the longer word itself (see navet.search.stemming)",
)
def test_a_stem_inside_another_word_first_still_gives_a_snippet_with_the_hit(
    db, network, make_document
) -> None:
    # "nederbörd" appears first inside "nederbördsmätare" (another word); the hit is far later.
    make_document(
        network,
        "Plan",
        f"Om nederbördsmätare. {_filler(0, 900)} Vi mäter nederbörden varje år. {_filler(0, 50)}",
    )
    [hit] = search(anonymous, "nederbörd").hits
    assert "<mark>nederbörden</mark>" in hit.snippet


def test_a_short_text_keeps_its_last_word(db, network, make_document) -> None:
    make_document(network, "Biogas", "Biogas från matavfall")
    [hit] = search(anonymous, "biogas").hits
    assert hit.snippet.endswith("matavfall")


def test_the_page_renders_marks_and_escapes_the_title(db, network, make_document, client) -> None:
    make_document(network, "<b>Fet</b> titel om biogas", "Biogas från matavfall.")
    page = client.get("/search/", {"q": "biogas"}).content.decode()
    assert "&lt;b&gt;Fet&lt;/b&gt; titel om biogas" in page
    assert "<mark>Biogas</mark>" in page


def test_filters_by_type_network_group_and_year(
    db, network, other_network, group_klimat, make_document, committed
) -> None:
    from tests.meetings.factories import MeetingFactory

    make_document(network, "Avfallsplan 2023", "avfallsplanen", year=2023, group=group_klimat)
    make_document(network, "Avfallsplan 2024", "avfallsplanen", year=2024)
    make_document(other_network, "Avfallsplan i andra nätverket", "avfallsplanen", year=2024)
    with committed():
        MeetingFactory(network=network, title="Träff om avfallsplanen")

    assert search(anonymous, "avfallsplan").total == 4
    assert search(anonymous, "avfallsplan", kinds=["meeting"]).total == 1
    assert search(anonymous, "avfallsplan", kinds=["document"]).total == 3
    assert search(anonymous, "avfallsplan", network=other_network).total == 1
    assert titles(search(anonymous, "avfallsplan", network=network, group=group_klimat)) == [
        "Avfallsplan 2023"
    ]
    assert search(anonymous, "avfallsplan", year=2024, kinds=["document"]).total == 2
    # Each facet counts with the other filters: choosing a type keeps the other types' counts.
    results = search(anonymous, "avfallsplan", kinds=["meeting"])
    assert {f.value: f.count for f in results.kinds} == {"document": 3, "meeting": 1}
    assert {f.value.slug: f.count for f in results.networks} == {network.slug: 1}


def test_paging_and_a_page_past_the_end(db, network, make_document) -> None:
    start = timezone.now()
    for n in range(25):
        make_document(
            network,
            f"Protokoll {n:02d}",
            "Protokoll från styrgruppen.",
            created_at=start - datetime.timedelta(days=n),
        )
    first = search(anonymous, "styrgruppen", order="date", per_page=10)
    second = search(anonymous, "styrgruppen", order="date", per_page=10, page=2)
    third = search(anonymous, "styrgruppen", order="date", per_page=10, page=3)
    assert first.total == second.total == 25
    assert titles(first) == [f"Protokoll {n:02d}" for n in range(10)]
    assert titles(second) == [f"Protokoll {n:02d}" for n in range(10, 20)]
    assert titles(third) == [f"Protokoll {n:02d}" for n in range(20, 25)]
    assert (third.num_pages, third.has_next, third.first_index, third.last_index) == (
        3,
        False,
        21,
        25,
    )
    past = search(anonymous, "styrgruppen", order="date", per_page=10, page=99)
    assert past.page == 3
    assert titles(past) == titles(third)


def test_the_page_pages(db, network, make_document, client) -> None:
    for n in range(23):
        make_document(network, f"Minnesanteckning {n}", "Anteckningar om laddinfrastruktur.")
    page1 = client.get("/search/", {"q": "laddinfrastruktur"}).content.decode()
    assert "23 träffar" in page1
    assert "page=2" in page1
    page2 = client.get("/search/", {"q": "laddinfrastruktur", "page": "2"})
    assert len(page2.context["results"].hits) == 3
    past = client.get("/search/", {"q": "laddinfrastruktur", "page": "5000"})
    assert past.status_code == 200
    assert past.context["results"].page == 2
    bad = client.get("/search/", {"q": "laddinfrastruktur", "page": "x", "year": "1700"})
    assert bad.status_code == 200
    assert len(bad.context["notes"]) == 2
    assert bad.context["results"].page == 1


def test_a_soft_deleted_document_vanishes(db, network, make_document, committed) -> None:
    document = make_document(network, "Gammal budget", "Budgetram för energiåtgärder.")
    assert search(anonymous, "energiåtgärder").total == 1
    with committed():
        document.deleted_at = timezone.now()
        document.save()
    assert search(anonymous, "energiåtgärder").total == 0
    assert not SearchEntry.objects.filter(kind="document", object_id=document.pk).exists()
    # Undoing the delete brings it back.
    with committed():
        document.deleted_at = None
        document.save()
    assert search(anonymous, "energiåtgärder").total == 1


def test_the_newest_versions_text_replaces_the_old(db, network, make_document, committed) -> None:
    document = make_document(network, "Handlingsplan", "Första utkastet nämner torvmarker.")
    assert search(anonymous, "torvmarker").total == 1
    with committed():
        add_version(document, "Andra versionen handlar om våtmarker.")
    assert search(anonymous, "torvmarker").total == 0
    assert titles(search(anonymous, "våtmarker")) == ["Handlingsplan"]


def test_a_hard_deleted_document_leaves_the_index(db, network, make_document, committed) -> None:
    document = make_document(network, "Tillfällig", "Innehåll om grönytor.")
    with committed():
        document.delete()
    assert search(anonymous, "grönytor").total == 0
    assert not SearchEntry.objects.filter(kind="document").exists()


def test_a_rolled_back_change_is_not_indexed(db, network) -> None:
    from tests.meetings.factories import MeetingFactory

    # A meeting is indexed after the commit; without one (the test's transaction is never
    # committed) nothing is indexed.
    MeetingFactory(network=network, title="Ej sparad om havsnivåer")
    assert search(anonymous, "havsnivåer").total == 0
    # A document is indexed inside its own transaction, so its entry rolls back with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        Document.objects.create(network=network, title="Ångrad om havsnivåer", visibility="public")
        assert search(anonymous, "havsnivåer").total == 1
        raise RuntimeError("rolled back")
    assert search(anonymous, "havsnivåer").total == 0
    assert not SearchEntry.objects.filter(kind="document").exists()


def test_rebuild_indexes_bulk_created_documents(db, network, make_document) -> None:
    Document.objects.bulk_create(
        [
            Document(network=network, title=f"Massimport {n}", visibility="public", year=2020)
            for n in range(7)
        ]
    )
    assert search(anonymous, "massimport").total == 0
    call_command("rebuild_search_index", "--kind", "document", "--batch-size", "3")
    assert search(anonymous, "massimport").total == 7
    Document.objects.filter(title="Massimport 0").update(deleted_at=timezone.now())
    call_command("rebuild_search_index", "--kind", "document")
    assert search(anonymous, "massimport").total == 6


def test_index_objects_is_the_bulk_function(db, network) -> None:
    Document.objects.bulk_create(
        [Document(network=network, title=f"Snabbimport {n}", visibility="public") for n in range(4)]
    )
    provider = registry.provider_for("document")
    assert provider is not None
    assert indexing.index_objects(provider, provider.queryset()) == 4
    # Upserting again updates, it does not duplicate.
    assert indexing.index_objects(provider, provider.queryset()) == 4
    assert SearchEntry.objects.filter(kind="document").count() == 4
    assert search(anonymous, "snabbimport").total == 4


def test_control_characters_are_stripped(db, network, make_document) -> None:
    # A control character in extracted text must not become a snippet marker.
    make_document(network, "Konstig text", "Text med \x07klocka och \x02markör om fjärrvärme.")
    [hit] = search(anonymous, "fjärrvärme", kinds=["document"]).hits
    assert hit.snippet.count("<mark>") == 1
    assert "\x02" not in hit.snippet
    # NUL (which PostgreSQL cannot store) and the rest go, newlines and tabs stay.
    assert indexing.clean("a\x00b\x1fc\nd\te", 100) == "a b c\nd\te"
    assert indexing.clean("x" * 50, 10) == "x" * 10


def test_meetings_people_organisations_and_indicators_are_found(
    db, roles, network, committed
) -> None:
    from navet.indicators.models import Indicator
    from tests.meetings.factories import MeetingFactory

    with committed():
        MeetingFactory(network=network, title="Nätverksträff", agenda="1. Biologisk mångfald")
        Indicator.objects.create(
            code="X1", title="Andel blåmusselodlingar", description="Mäts årligen"
        )
    assert titles(search(anonymous, "mångfald")) == ["Nätverksträff"]
    assert titles(search(anonymous, "blåmusselodlingar")) == ["Andel blåmusselodlingar"]
    # Organisations come from the reference data the migrations load.
    boras = search(anonymous, "Borås", kinds=["organisation"])
    assert "Borås" in titles(boras)


def test_empty_short_and_long_queries(db, client) -> None:
    empty = client.get("/search/")
    assert empty.status_code == 200
    assert empty.context["results"] is None
    short = client.get("/search/", {"q": "a"})
    assert short.context["too_short"] is True
    assert short.context["results"] is None
    two = client.get("/search/", {"q": "ab"})
    assert two.context["results"] is not None
    long = client.get("/search/", {"q": "klimat " * 200})
    assert long.status_code == 200
    assert len(long.context["query"]) == MAX_QUERY_CHARS
    assert len(long.context["notes"]) == 1
    exactly = client.get("/search/", {"q": "k" * MAX_QUERY_CHARS})
    assert exactly.context["notes"] == []
    odd = client.get("/search/", {"q": '"" AND OR NOT * ( ) : ^ -'})
    assert odd.status_code == 200


def test_unknown_filters_are_ignored_with_a_message(db, client, network) -> None:
    response = client.get("/search/", {"q": "klimat", "type": "hemligt", "network": "finns-inte"})
    assert response.status_code == 200
    assert len(response.context["notes"]) == 2


def test_every_page_has_the_search_box(db, client) -> None:
    page = client.get("/networks/").content.decode()
    assert '<form action="/search/" method="get" class="header-search" role="search">' in page
    assert '<label for="header-search-q"' in page
    assert 'id="header-search-q" name="q"' in page


def test_the_database_path_in_use(db) -> None:
    # Both paths are tested: CI runs this suite on SQLite and on PostgreSQL.
    assert connection.vendor in {"sqlite", "postgresql"}


def test_a_hit_opens_the_documents_page(db, network, make_document) -> None:
    document = make_document(network, "Länkad", "Text om dagvatten.")
    [hit] = search(anonymous, "dagvatten").hits
    assert hit.url == f"/networks/{network.slug}/documents/{document.pk}/"


def test_beyond_the_full_rank_limit_title_hits_still_come_first(
    db, network, make_document, monkeypatch
) -> None:
    from navet.search import selectors

    now = timezone.now()
    make_document(network, "Övrigt", "Något om solenergi.", created_at=now)
    make_document(
        network, "Solenergi i Borås", "Plan.", created_at=now - datetime.timedelta(days=9)
    )
    make_document(
        network, "Annat", "Solenergi, solenergi.", created_at=now - datetime.timedelta(days=1)
    )
    full = titles(search(anonymous, "solenergi"))
    monkeypatch.setattr(selectors, "FULL_RANK_LIMIT", 1)
    # Ranked by the title alone (PostgreSQL), body hits newest first; SQLite always ranks
    # by bm25. Either way the title hit is first.
    limited = titles(search(anonymous, "solenergi"))
    assert full[0] == limited[0] == "Solenergi i Borås"
    assert set(limited) == {"Övrigt", "Solenergi i Borås", "Annat"}
    if connection.vendor == "postgresql":
        assert limited == ["Solenergi i Borås", "Övrigt", "Annat"]


def test_a_save_of_fields_the_entry_does_not_show_does_not_reindex(
    db, django_capture_on_commit_callbacks
) -> None:
    from tests.factories import PersonFactory, UserFactory

    person = PersonFactory()
    person.user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        person.save(update_fields=["user"])
    assert callbacks == []
    person.title = "Energistrateg"
    with django_capture_on_commit_callbacks() as callbacks:
        person.save(update_fields=["title"])
    assert len(callbacks) == 1
