"""Benchmark of the search (issue 13) at archive scale (PostgreSQL only), against raw SQL.

    make bench-search        # a throwaway database navet_bench_search, dropped after
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/navet_bench_search \
        .venv/bin/python -m bench.search

The script migrates the database and refuses to run if it already holds documents. The data:
20 networks with 14–15 member municipalities each, 20 people (each with a user account) and
5 groups per network, 20 meetings per network; ``NAVET_BENCH_DOCUMENTS`` (default 100 000)
documents spread over the networks with mixed visibility (30 % public, 45 % members, 15 % a
group's participants, 10 % coordinators; 1 % soft-deleted), each with a version whose
extracted text is about 5 KB of Swedish-like text (a few thousand words drawn with a Zipf
distribution; one in ten documents has an older, shorter version too). Two query words are
planted: the common "kommunerna" (its forms in half the documents; the Swedish stemming finds
"kommun", "kommunen", "kommuner" …) and the rare "fladdermusholkar" (in 40 documents).

Documents and versions are loaded with COPY; the search index is then written by the engine
itself (``navet.search.indexing.rebuild``: the providers' entries, the trigger's tsvectors),
followed by VACUUM ANALYZE.

Timed in one run, as a member of one network (a person whose municipality is a member, taking
part in one of its groups), for each word: ``navet.search.selectors.search(user, word)``
against the raw full-text query through a raw cursor (``websearch_to_tsquery('swedish', …) @@``
the tsvector, the same permission filter written out in SQL, ``ORDER BY ts_rank LIMIT 20`` and
the count), the two taking turns run by run (after a warm-up each). Goal: p95 at most 1.5 × the
raw SQL's and under 150 ms. For reference: the search's own SQL replayed through a raw cursor,
the raw SQL with the page's snippets (``ts_headline``) added, and the rendered /search/ page
(Django's test client, logged in as that user). ``NAVET_BENCH_REPEATS`` (default 50) sets the
timed runs; ``NAVET_BENCH_PLANS`` a file to write the EXPLAIN ANALYZE of every query to.
"""

import atexit
import datetime
import io
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
WORK_DIR = tempfile.mkdtemp(prefix="navet-bench-search-")
atexit.register(shutil.rmtree, WORK_DIR, ignore_errors=True)
os.environ.setdefault("NAVET_DATA_DIR", WORK_DIR)

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import p95, settle, statements, timed_alternately  # noqa: E402
from navet.accounts.models import User  # noqa: E402
from navet.documents.models import Document, DocumentVersion  # noqa: E402
from navet.meetings.models import Meeting  # noqa: E402
from navet.networks.models import (  # noqa: E402
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from navet.search import indexing, selectors  # noqa: E402

DOCUMENTS = int(os.environ.get("NAVET_BENCH_DOCUMENTS", "100000"))
REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "50"))
PLANS = os.environ.get("NAVET_BENCH_PLANS", "")
NETWORKS, PEOPLE_PER_NETWORK, GROUPS_PER_NETWORK, MEETINGS_PER_NETWORK = 20, 20, 5, 20
TEXT_BYTES = 5_000
COMMON_WORD, COMMON_FORMS, COMMON_SHARE = (
    "kommunerna",
    ("kommun", "kommunen", "kommuner", "kommunerna", "kommunernas", "kommunens"),
    0.5,
)
RARE_WORD, RARE_FORMS, RARE_DOCUMENTS = (
    "fladdermusholkar",
    ("fladdermusholkar", "fladdermusholken", "fladdermusholk"),
    40,
)
PASSWORD = "bench-only"  # noqa: S105 (throwaway accounts in a throwaway database)
START = datetime.date(2015, 1, 1)
VISIBILITIES = [("public", 30), ("members", 45), ("group", 15), ("coordinators", 10)]

# --- Words -----------------------------------------------------------------------------------
# Split from strings to keep the lists short to read.

FUNCTION_WORDS = (  # noqa: SIM905
    "och i att det som en på är av för med till den har de inte om ett var men så vi kan "
    "från sig när ska även under efter mot alla också eller där vid genom mellan bara utan "
    "hur vilket detta dessa mer många flera samt inom enligt redan nu här"
).split()
PREFIXES = (  # noqa: SIM905
    "klimat energi miljö vatten avfall skog natur trafik cykel buss bygg plan mark stads "
    "livsmedel mat skol förskole folkhälso social integrations närings turism kultur "
    "biologisk vind sol bio el värme kyl dagvatten grundvatten kust havs sjö åker jordbruks "
    "fjärr data digital besöks medborgar ungdoms äldre fritids invånar region läns "
    "kemikalie buller luft ström bränsle kollektiv gång park grön blå återbruks cirkulär"
).split()
STEMS = (  # noqa: SIM905
    "plan strategi arbete fråga mål åtgärd projekt grupp rapport analys budget avtal "
    "uppföljning insats nätverk samverkan dialog program policy utredning beslut ansvar "
    "förvaltning nämnd styrning process metod modell verktyg underlag enkät statistik "
    "indikator kostnad investering upphandling leverantör tjänst anläggning station system "
    "område zon stråk led väg bana nät källa anslag bidrag stöd råd rutin riktlinje kriterie "
    "kartläggning inventering prognos scenario utsläpp förbrukning produktion konsumtion"
).split()
NOUN_ENDINGS = ["", "en", "er", "erna", "ar", "arna", "et", "s"]
VERBS = (  # noqa: SIM905
    "arbetar planerar genomför följer beslutar redovisar presenterar diskuterar samordnar "
    "utvecklar minskar ökar bidrar stärker främjar behöver kräver visar innebär omfattar "
    "införs genomförs redovisas beslutades presenterades diskuterades föreslås prioriteras "
    "finansieras utvärderas rapporteras sammanställs upphandlas samlas bjuds deltar möts"
).split()
ADJECTIVES = (  # noqa: SIM905
    "nya gemensamma regionala lokala nationella långsiktiga övergripande konkreta viktiga "
    "större mindre goda aktuella kommande tidigare fortsatta årliga särskilda tydliga "
    "effektiva ekonomiska tekniska sociala ekologiska politiska digitala fysiska möjliga"
).split()
TOWNS = (  # noqa: SIM905
    "Borås Växjö Umeå Örebro Gävle Luleå Jönköping Skövde Härnösand Åre Älmhult Kalmar "
    "Karlstad Falun Sundsvall Östersund Kristianstad Halmstad Norrköping Linköping"
).split()
FIRST_NAMES = "Anna Erik Maria Lars Karin Johan Eva Anders Sara Per Lena Nils Emma Olof".split()  # noqa: SIM905
LAST_NAMES = "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Berg".split()  # noqa: SIM905


def vocabulary(rng: random.Random) -> list[str]:
    """A few thousand words in the order of their frequency (most frequent first): function
    words, then nouns with their endings, compounds, verbs and adjectives, shuffled."""
    content = {stem + ending for stem in STEMS for ending in NOUN_ENDINGS}
    content |= {prefix + stem for prefix in PREFIXES for stem in STEMS}
    content |= {prefix + stem + "en" for prefix in PREFIXES[:20] for stem in STEMS[:40]}
    content |= set(VERBS) | set(ADJECTIVES)
    words = sorted(content)
    rng.shuffle(words)
    return FUNCTION_WORDS + words


class TextMaker:
    """Swedish-like text: sentences of 6–18 words drawn by Zipf's law (weight 1 / rank)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = vocabulary(rng)
        self.cumulative = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.words)))
        )

    def sentence(self, extra: str = "") -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(6, 18))
        if rng.random() < 0.2:
            words[rng.randrange(len(words))] = rng.choice(TOWNS)
        if extra:
            words.insert(rng.randrange(len(words) + 1), extra)
        return " ".join(words).capitalize() + "."

    def text(self, size: int, planted: list[str]) -> str:
        """About ``size`` characters in paragraphs of 3–6 sentences; each planted word once."""
        paragraphs, length, paragraph = [], 0, []
        waiting = list(planted)
        while length < size:
            sentence = self.sentence(waiting.pop() if waiting and self.rng.random() < 0.3 else "")
            paragraph.append(sentence)
            length += len(sentence) + 1
            if len(paragraph) >= self.rng.randint(3, 6):
                paragraphs.append(" ".join(paragraph))
                paragraph = []
        if waiting:
            paragraph.append(self.sentence(" ".join(waiting)))
        if paragraph:
            paragraphs.append(" ".join(paragraph))
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        rng = self.rng
        kind = rng.choice(["Protokoll", "Rapport", "Presentation", "Handlingsplan", "Underlag"])
        subject = rng.choice(PREFIXES) + rng.choice(STEMS)
        return f"{kind} {subject} {rng.choice(TOWNS)} {rng.randint(2015, 2026)}"


# --- Data ------------------------------------------------------------------------------------


def copy_rows(table: str, columns: str, rows: Iterator[list[Any]]) -> int:
    """COPY rows (None for NULL) into ``table`` in batches of 2 000."""

    def field(value: Any) -> str:
        if value is None:
            return "\\N"
        text = str(value)
        return (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )

    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        batch: list[str] = []
        for row in rows:
            batch.append("\t".join(field(v) for v in row) + "\n")
            if len(batch) == 2000:
                copy.write("".join(batch))
                count += len(batch)
                batch.clear()
        copy.write("".join(batch))
        count += len(batch)
    return count


def build_networks(rng: random.Random, maker: TextMaker) -> dict[str, Any]:
    """Networks, member municipalities, people with users, groups, coordinators, meetings."""
    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("pk")
    )
    networks = Network.objects.bulk_create(
        Network(
            name=f"Nätverket {TOWNS[n]}", slug=f"natverk-{n + 1:02d}", description=maker.sentence()
        )
        for n in range(NETWORKS)
    )
    # Every municipality is a member of one network (a few ended their membership).
    Membership.objects.bulk_create(
        Membership(
            network=networks[i % NETWORKS],
            organisation=m,
            start_date=START,
            end_date=datetime.date(2020, 12, 31) if i % 29 == 28 else None,
        )
        for i, m in enumerate(municipalities)
    )
    members = {
        n.pk: [m for i, m in enumerate(municipalities) if i % NETWORKS == k and i % 29 != 28]
        for k, n in enumerate(networks)
    }
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"person-{n:02d}-{p:02d}@navet.example", password=password)
        for n in range(NETWORKS)
        for p in range(PEOPLE_PER_NETWORK)
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=users[n * PEOPLE_PER_NETWORK + p].email,
            title=rng.choice(["Miljöstrateg", "Hållbarhetsstrateg", "Energirådgivare", "Chef"]),
            organisation=members[network.pk][p % len(members[network.pk])],
            registered_by_network=network if p % 2 else None,
            user=users[n * PEOPLE_PER_NETWORK + p],
        )
        for n, network in enumerate(networks)
        for p in range(PEOPLE_PER_NETWORK)
    )
    groups = Group.objects.bulk_create(
        Group(network=network, name=f"Grupp {g + 1} {network.name}", slug=f"grupp-{g + 1}")
        for network in networks
        for g in range(GROUPS_PER_NETWORK)
    )
    groups_of = {n.pk: [g for g in groups if g.network_id == n.pk] for n in networks}
    people_of = {
        n.pk: people[k * PEOPLE_PER_NETWORK : (k + 1) * PEOPLE_PER_NETWORK]
        for k, n in enumerate(networks)
    }
    # Person 0 of each network takes part in group 0 only; the others in one or two groups;
    # persons 1 and 2 coordinate the network, persons 3–7 one group each.
    memberships = []
    for network in networks:
        own_groups, own_people = groups_of[network.pk], people_of[network.pk]
        memberships.append(
            GroupMembership(group=own_groups[0], person=own_people[0], start_date=START)
        )
        for p, person in enumerate(own_people[1:], start=1):
            for group in rng.sample(own_groups, 1 + p % 2):
                memberships.append(GroupMembership(group=group, person=person, start_date=START))
        network.coordinators.through.objects.bulk_create(
            network.coordinators.through(network_id=network.pk, person_id=person.pk)
            for person in own_people[1:3]
        )
        Group.coordinators.through.objects.bulk_create(
            Group.coordinators.through(group_id=group.pk, person_id=own_people[3 + g].pk)
            for g, group in enumerate(own_groups)
        )
    GroupMembership.objects.bulk_create(memberships)

    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            title=f"Nätverksträff {m + 1}: {maker.title()}",
            theme=maker.sentence(),
            description=maker.text(400, []),
            agenda=maker.text(600, [COMMON_FORMS[m % len(COMMON_FORMS)]] if m % 2 else []),
            starts_at=now + datetime.timedelta(days=30 * m - 300),
            ends_at=now + datetime.timedelta(days=30 * m - 300, hours=3),
            status=Meeting.Status.CANCELLED if m % 17 == 16 else Meeting.Status.PLANNED,
        )
        for network in networks
        for m in range(MEETINGS_PER_NETWORK)
    )
    Meeting.groups.through.objects.bulk_create(
        Meeting.groups.through(
            meeting_id=meeting.pk, group_id=rng.choice(groups_of[meeting.network_id]).pk
        )
        for i, meeting in enumerate(meetings)
        if i % 3 == 0
    )
    meetings_of = {n.pk: [m for m in meetings if m.network_id == n.pk] for n in networks}
    return {
        "networks": networks,
        "groups_of": groups_of,
        "people_of": people_of,
        "meetings_of": meetings_of,
        "member": people_of[networks[0].pk][0],
    }


def build_documents(rng: random.Random, maker: TextMaker, world: dict[str, Any]) -> tuple[int, int]:
    """Documents and their versions by COPY, with ids given (and the sequences moved on)."""
    networks = world["networks"]
    rare = set(rng.sample(range(DOCUMENTS), min(RARE_DOCUMENTS, DOCUMENTS)))
    kinds = [v for v, _weight in VISIBILITIES]
    weights = [w for _v, w in VISIBILITIES]
    now = timezone.now()
    documents: list[list[Any]] = []
    versions: list[list[Any]] = []

    def flush() -> None:
        copy_rows(
            Document._meta.db_table,
            "id, network_id, group_id, meeting_id, title, description, category, tags, year, "
            "visibility, url, created_at, updated_at, deleted_at",
            iter(documents),
        )
        copy_rows(
            DocumentVersion._meta.db_table,
            "document_id, number, file, token, original_name, kind, content_type, size, sha256, "
            "note, uploaded_at, extraction, extraction_error, text",
            iter(versions),
        )
        documents.clear()
        versions.clear()

    version_count = 0
    for i in range(DOCUMENTS):
        pk = i + 1
        network = networks[i % NETWORKS]
        visibility = rng.choices(kinds, weights=weights)[0]
        group = None
        if visibility == "group" or rng.random() < 0.4:
            group = rng.choice(world["groups_of"][network.pk])
        meeting = rng.choice(world["meetings_of"][network.pk]) if rng.random() < 0.1 else None
        created = now - datetime.timedelta(
            days=rng.randint(0, 11 * 365), seconds=rng.randint(0, 86_399)
        )
        planted = []
        if rng.random() < COMMON_SHARE:
            planted += rng.sample(COMMON_FORMS, rng.randint(1, 3))
        if i in rare:
            planted.append(rng.choice(RARE_FORMS))
        category = "minutes" if meeting else rng.choice(["report", "plan", "presentation", "other"])
        documents.append(
            [
                pk,
                network.pk,
                group.pk if group else None,
                meeting.pk if meeting else None,
                maker.title(),
                maker.sentence(),
                category,
                json.dumps(
                    rng.sample(["klimat", "energi", "upphandling", "mat", "trafik", "natur"], 2)
                ),
                created.year,
                visibility,
                "",
                created.isoformat(),
                created.isoformat(),
                (now - datetime.timedelta(days=3)).isoformat() if i % 100 == 99 else None,
            ]
        )
        numbers = [1, 2] if i % 10 == 0 else [1]
        for number in numbers:
            newest = number == numbers[-1]
            text = maker.text(TEXT_BYTES if newest else 1_000, planted if newest else [])
            token = f"{rng.getrandbits(128):032x}"
            versions.append(
                [
                    pk,
                    number,
                    f"documents/{network.pk}/{pk}/{token}",
                    token,
                    f"dokument-{pk}-v{number}.pdf",
                    "pdf",
                    "application/pdf",
                    rng.randint(50_000, 2_000_000),
                    f"{rng.getrandbits(256):064x}",
                    "",
                    created.isoformat(),
                    "done",
                    "",
                    text,
                ]
            )
            version_count += 1
        if len(documents) == 5000:
            flush()
    flush()
    with connection.cursor() as cursor:
        for table in (Document._meta.db_table, DocumentVersion._meta.db_table):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
    return DOCUMENTS, version_count


def load(rng: random.Random) -> dict[str, Any]:
    maker = TextMaker(rng)
    began = time.perf_counter()
    world = build_networks(rng, maker)
    documents, versions = build_documents(rng, maker, world)
    print(
        f"  {documents} documents and {versions} versions by COPY in "
        f"{time.perf_counter() - began:.0f} s"
    )
    began = time.perf_counter()
    counts = indexing.rebuild(batch_size=1000)  # the engine's own indexing, then its optimize()
    print(
        f"  search index by indexing.rebuild in {time.perf_counter() - began:.0f} s: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('search_searchentry')),"
            " pg_size_pretty(pg_relation_size('search_searchentry_vector_gin')),"
            " pg_size_pretty(pg_total_relation_size('documents_documentversion'))"
        )
        sizes = cursor.fetchone()
    print(f"  VACUUM ANALYZE in {time.perf_counter() - began:.0f} s")
    if sizes:
        print(
            f"  sizes: search entries {sizes[0]} (GIN index {sizes[1]}), "
            f"document versions {sizes[2]}"
        )
    return world


# --- The raw SQL baseline ----------------------------------------------------------------------
#
# The permission filter of selectors.visible_entries written out by hand for one person: the
# documents' rule (documents.permissions.who_sees_q) on the entry's copy of the document's
# visibility, network and group (deleted documents are not in the index), the meetings' view rule
# (meetings.permissions.meeting_policy), the people's view rule (networks.permissions
# .person_policy with networks.selectors.in_network); organisations and indicators are public.

PERSON_CTES = """
WITH member_networks AS (
    SELECT network_id FROM networks_membership
    WHERE start_date <= %(day)s AND (end_date IS NULL OR end_date >= %(day)s)
      AND (organisation_id = %(org)s OR via_id = %(org)s)
), my_groups AS (
    SELECT gm.group_id, g.network_id FROM networks_groupmembership gm
    JOIN networks_group g ON g.id = gm.group_id
    WHERE gm.person_id = %(person)s
      AND gm.start_date <= %(day)s AND (gm.end_date IS NULL OR gm.end_date >= %(day)s)
), coordinated_networks AS (
    SELECT network_id FROM networks_network_coordinators WHERE person_id = %(person)s
), coordinated_groups AS (
    SELECT gc.group_id, g.network_id FROM networks_group_coordinators gc
    JOIN networks_group g ON g.id = gc.group_id WHERE gc.person_id = %(person)s
), seen_networks AS (
    SELECT network_id FROM member_networks UNION SELECT network_id FROM coordinated_networks
    UNION SELECT network_id FROM coordinated_groups
), q AS (SELECT websearch_to_tsquery('swedish', %(q)s) AS query)
"""

PERMISSION_SQL = """(
    (e.kind = 'document' AND (
        e.access = 'public'
        OR (e.access = 'members' AND e.network_id IN (
            SELECT network_id FROM seen_networks UNION SELECT network_id FROM my_groups))
        OR (e.access IN ('group', 'coordinators') AND (
            e.network_id IN (SELECT network_id FROM coordinated_networks)
            OR e.group_id IN (SELECT group_id FROM coordinated_groups)))
        OR (e.access = 'group' AND e.group_id IN (SELECT group_id FROM my_groups))
    ))
    OR (e.kind = 'meeting' AND e.object_id IN (
        SELECT m.id FROM meetings_meeting m
        WHERE m.status <> 'cancelled'
            OR m.network_id IN (SELECT network_id FROM coordinated_networks)
            OR m.network_id IN (SELECT network_id FROM member_networks)
            OR EXISTS (SELECT 1 FROM meetings_meeting_groups mg WHERE mg.meeting_id = m.id
                AND mg.group_id IN (SELECT group_id FROM coordinated_groups
                                    UNION SELECT group_id FROM my_groups))
            OR (NOT EXISTS (SELECT 1 FROM meetings_meeting_groups mg WHERE mg.meeting_id = m.id)
                AND m.network_id IN (SELECT network_id FROM my_groups))))
    OR (e.kind = 'person' AND e.object_id IN (
        SELECT %(person)s
        UNION SELECT gm.person_id FROM networks_groupmembership gm
            JOIN networks_group g ON g.id = gm.group_id
            WHERE g.network_id IN (SELECT network_id FROM seen_networks)
        UNION SELECT person_id FROM networks_contactassignment
            WHERE network_id IN (SELECT network_id FROM seen_networks)
        UNION SELECT person_id FROM networks_network_coordinators
            WHERE network_id IN (SELECT network_id FROM seen_networks)
        UNION SELECT gc.person_id FROM networks_group_coordinators gc
            JOIN networks_group g ON g.id = gc.group_id
            WHERE g.network_id IN (SELECT network_id FROM seen_networks)
        UNION SELECT id FROM networks_person
            WHERE registered_by_network_id IN (SELECT network_id FROM seen_networks)))
    OR e.kind IN ('organisation', 'indicator')
)"""

RAW_PAGE_SQL = f"""{PERSON_CTES}
SELECT e.id, e.kind, e.object_id, e.title, e.url, e.network_id, e.year, e.date,
       ts_rank(e.search_vector, q.query) AS rank
FROM search_searchentry e, q
WHERE e.search_vector @@ q.query AND {PERMISSION_SQL}
ORDER BY rank DESC, e.date DESC NULLS LAST, e.id DESC
LIMIT 20"""

RAW_COUNT_SQL = f"""{PERSON_CTES}
SELECT count(*) FROM search_searchentry e, q
WHERE e.search_vector @@ q.query AND {PERMISSION_SQL}"""

SNIPPET_SQL = (
    "SELECT id, ts_headline('swedish', left(body, 30000), websearch_to_tsquery('swedish', %s),"
    " 'StartSel=<b>, StopSel=</b>, MaxWords=30, MinWords=12')"
    " FROM search_searchentry WHERE id = ANY(%s)"
)


def raw_params(person: Person, word: str) -> dict[str, Any]:
    return {
        "person": person.pk,
        "org": person.organisation_id,
        "day": timezone.localdate(),
        "q": word,
    }


def raw_search(params: dict[str, Any]) -> tuple[list[tuple[Any, ...]], int]:
    """The baseline: the page of 20 by ts_rank and the count, through a raw cursor."""
    with connection.cursor() as cursor:
        cursor.execute(RAW_PAGE_SQL, params)
        rows = cursor.fetchall()
        cursor.execute(RAW_COUNT_SQL, params)
        row = cursor.fetchone()
    return rows, row[0] if row else 0


def raw_search_with_snippets(params: dict[str, Any]) -> object:
    rows, total = raw_search(params)
    with connection.cursor() as cursor:
        cursor.execute(SNIPPET_SQL, [params["q"], [r[0] for r in rows]])
        cursor.fetchall()
    return total


# --- Timing ------------------------------------------------------------------------------------


def check_same_results(user: User, person: Person, word: str) -> tuple[int, int]:
    """The search and the baseline count the same hits (the same permission filter); for a
    word with few hits (ranked alike by both) they list the same entries."""
    results = selectors.search(user, word)
    rows, total = raw_search(raw_params(person, word))
    if results.total != total:
        raise SystemExit(f"{word!r}: the search counts {results.total}, the raw SQL {total}")
    if total <= selectors.FULL_RANK_LIMIT:
        navet_hits = {(h.kind, h.object_id) for h in results.hits}
        raw_hits = {(r[1], r[2]) for r in rows}
        if navet_hits != raw_hits:
            raise SystemExit(f"{word!r}: the search and the raw SQL list different hits")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_searchentry"
            " WHERE search_vector @@ websearch_to_tsquery('swedish', %s)",
            [word],
        )
        row = cursor.fetchone()
    return total, row[0] if row else 0


def explain(label: str, executed: list[tuple[str, Any]], out: io.StringIO) -> list[str]:
    """EXPLAIN ANALYZE of every SELECT among ``executed``, run in order in one transaction (so
    the search's SET LOCAL holds, as it does in the search); one summary line per query."""
    summaries = []
    with transaction.atomic(), connection.cursor() as cursor:
        for number, (sql, params) in enumerate(executed, start=1):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or "current_setting" in sql:
                cursor.execute(sql, params)
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [r[0] for r in cursor.fetchall()]
            out.write(
                f"--- {label}, query {number}\n{sql}\n{params!r}\n" + "\n".join(plan) + "\n\n"
            )
            top = plan[0].split("  (")[0].strip()
            took = next((p.strip() for p in plan if p.startswith("Execution Time")), "")
            summaries.append(f"    query {number}: {top[:60]:60} {took}")
    return summaries


def cases_for(
    word: str, user: User, person: Person, client: Client, plans: io.StringIO
) -> list[tuple[str, Callable[[], object]]]:
    params = raw_params(person, word)
    navet_sql = statements(lambda: selectors.search(user, word))
    url = reverse("search:search")

    def page() -> bytes:
        response = client.get(url, {"q": word})
        if response.status_code != 200:
            raise SystemExit(f"GET {url}?q={word} gave {response.status_code}")
        return response.content

    def replay_in_transaction() -> object:
        # In its transaction, as the search runs it (its SET LOCAL needs one); rows fetched
        # where a statement returns any.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, sql_params in navet_sql:
                cursor.execute(sql, sql_params)
                if cursor.description is not None:
                    cursor.fetchall()
        return None

    navet_page_sql = [s for s in navet_sql if "ts_rank" in s[0]]
    print(f"  {word!r}: the search runs {len(navet_sql)} statements")
    for line in explain(
        f"raw SQL, {word}", [(RAW_PAGE_SQL, params), (RAW_COUNT_SQL, params)], plans
    ):
        print(line.replace("query 1", "raw page ").replace("query 2", "raw count"))
    for line in explain(f"navet.search, {word}", navet_sql, plans):
        print(line.replace("query", "search   "))
    assert navet_page_sql, "the search's page query (ORDER BY its rank) was not found"
    return [
        (f"raw SQL baseline, {word}", lambda: raw_search(params)),
        (f"search(), {word}", lambda: selectors.search(user, word)),
        ("  its SQL replayed, raw cursor", replay_in_transaction),
        ("  raw SQL + the page's snippets", lambda: raw_search_with_snippets(params)),
        ("  /search/ page (test client)", page),
    ]


def report(cases: list[tuple[str, Callable[[], object]]]) -> None:
    """Each baseline and the cases after it (to the next baseline) take turns, run by run."""
    print(f"\n{'case':38} {'p50 ms':>8} {'p95 ms':>8} {'goal ms':>8} {'p95 to raw SQL p95':>19}")
    groups: list[list[tuple[str, Callable[[], object]]]] = []
    for case in cases:
        if "baseline" in case[0] or not groups:
            groups.append([])
        groups[-1].append(case)
    samples: dict[str, list[float]] = {}
    for group in groups:
        timings = timed_alternately([action for _name, action in group], REPEATS)
        for (name, _action), times in zip(group, timings, strict=True):
            samples[f"{group[0][0]}|{name}"] = times
    for group in groups:
        base = p95(samples[f"{group[0][0]}|{group[0][0]}"])
        for name, _action in group:
            times = samples[f"{group[0][0]}|{name}"]
            p50, high = statistics.median(times), p95(times)
            if "baseline" in name:
                print(f"{name:38} {p50 * 1000:8.1f} {high * 1000:8.1f} {'':>8} {1:19.2f}")
            elif name.startswith(" "):
                print(f"{name:38} {p50 * 1000:8.1f} {high * 1000:8.1f} {'':>8} {high / base:19.2f}")
            else:
                ratio = high / base
                ok = high < 0.150 and ratio <= 1.5
                print(
                    f"{name:38} {p50 * 1000:8.1f} {high * 1000:8.1f} {150:8d} {ratio:19.2f}  "
                    f"{'ok' if ok else 'OVER GOAL'}"
                )


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit(
            "The search benchmark needs PostgreSQL: set DATABASE_URL="
            "postgres://postgres@127.0.0.1:5432/navet_bench_search (an empty database)."
        )
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Document.objects.exists() or Network.objects.exists():
        raise SystemExit("The database already holds networks or documents; use an empty one.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()
    print(
        f"database: PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"shared_buffers {buffers[0] if buffers else '?'}; loading {DOCUMENTS} documents"
    )
    world = load(random.Random(13))
    person: Person = world["member"]
    user = person.user
    assert user is not None
    member_networks = Membership.objects.filter(organisation=person.organisation_id)
    print(
        f"searching as {user.email}: person of {person.organisation}, a member of "
        f"{member_networks.count()} network, taking part in 1 group, coordinating nothing"
    )
    for word in (COMMON_WORD, RARE_WORD):
        visible, everywhere = check_same_results(user, person, word)
        print(f"  {word!r}: {visible} hits the member may see, of {everywhere} in the index")

    client = Client()
    client.force_login(user)
    plans = io.StringIO()
    print("\nquery plans (EXPLAIN ANALYZE, warm):")
    cases = [
        *cases_for(COMMON_WORD, user, person, client, plans),
        *cases_for(RARE_WORD, user, person, client, plans),
    ]
    if PLANS:
        Path(PLANS).write_text(plans.getvalue(), encoding="utf-8")
        print(f"  (full plans in {PLANS})")
    settle()
    load_before = os.getloadavg()
    report(cases)
    load_after = os.getloadavg()
    print(
        f"\n{REPEATS} timed runs each after a warm-up; load average "
        f"{load_before[0]:.2f} before and {load_after[0]:.2f} after the timing, "
        f"on {os.cpu_count()} CPUs"
    )
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
