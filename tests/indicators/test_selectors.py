"""Comparison reads: ranks and quartiles, reference values, one organisation against the
others, series and a network's members."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from navet.indicators import selectors
from navet.indicators.models import Indicator, IndicatorSet, IndicatorSetEntry, MunicipalityGroup
from navet.indicators.models import Target as IndicatorTarget
from navet.indicators.progress import Status
from navet.networks.models import Organisation
from tests.factories import MembershipFactory, NetworkFactory, organisation
from tests.indicators.authz_comparison import make_indicator, store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

# Västra Götaland municipalities (county 14) and two elsewhere.
BORAS, GOTEBORG, ALE, LERUM, MARK = "1490", "1480", "1440", "1441", "1463"
STOCKHOLM, KIRUNA = "0180", "2584"


def ranks(ranked: list[selectors.RankedValue]) -> dict[str, tuple[int, int]]:
    return {r.organisation.scb_code or "": (r.rank, r.quartile) for r in ranked}


class TestRanking:
    def test_lower_is_better_with_ties_sharing_a_rank(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.DECREASE)
        store(
            indicator, {BORAS: {2022: 20}, GOTEBORG: {2022: 10}, ALE: {2022: 20}, LERUM: {2022: 30}}
        )
        ranked = selectors.ranking(indicator=indicator, year=2022)
        assert [r.organisation.name for r in ranked] == ["Göteborg", "Ale", "Borås", "Lerum"]
        assert [r.rank for r in ranked] == [1, 2, 2, 4]
        assert {r.count for r in ranked} == {4}
        assert not selectors.ranks_highest_first(indicator)

    def test_higher_is_better(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.INCREASE)
        store(
            indicator, {BORAS: {2022: 20}, GOTEBORG: {2022: 10}, ALE: {2022: 20}, LERUM: {2022: 30}}
        )
        assert ranks(selectors.ranking(indicator=indicator, year=2022)) == {
            LERUM: (1, 1),
            ALE: (2, 2),
            BORAS: (2, 2),
            GOTEBORG: (4, 4),
        }

    def test_no_direction_ranks_the_highest_first_and_says_so(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.NONE)
        store(indicator, {BORAS: {2022: 5}, GOTEBORG: {2022: 7}})
        ranked = selectors.ranking(indicator=indicator, year=2022)
        assert [(r.organisation.scb_code, r.rank) for r in ranked] == [(GOTEBORG, 1), (BORAS, 2)]
        assert selectors.ranks_highest_first(indicator)

    def test_quartiles_are_quarters_of_the_ranking(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.INCREASE)
        codes = [BORAS, GOTEBORG, ALE, LERUM, MARK, STOCKHOLM, KIRUNA, "1484"]
        store(indicator, {code: {2022: float(i)} for i, code in enumerate(codes)})
        ranked = selectors.ranking(indicator=indicator, year=2022)
        assert [r.quartile for r in ranked] == [1, 1, 2, 2, 3, 3, 4, 4]
        assert ranked[0].organisation.scb_code == "1484"  # value 7, the highest

    def test_tied_values_share_their_quartile(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.INCREASE)
        store(indicator, {BORAS: {2022: 1}, GOTEBORG: {2022: 1}, ALE: {2022: 1}, LERUM: {2022: 0}})
        assert {
            (r.rank, r.quartile) for r in selectors.ranking(indicator=indicator, year=2022)
        } == {
            (1, 1),
            (4, 4),
        }

    def test_only_municipalities_with_a_value_that_year_and_gender(self) -> None:
        indicator = make_indicator()
        store(
            indicator,
            {
                "0000": {2022: 1},  # Riket
                "14": {2022: 2},  # a region
                BORAS: {2022: 3, 2021: 1},
                GOTEBORG: {2022: None},  # missing, kept with its status
                ALE: {2021: 5},
            },
        )
        ranked = selectors.ranking(indicator=indicator, year=2022)
        assert [(r.organisation.scb_code, r.rank, r.count) for r in ranked] == [(BORAS, 1, 1)]
        assert selectors.ranking(indicator=indicator, year=2022, gender="K") == []

    def test_one_query_for_all_290(self, django_assert_num_queries: object) -> None:
        indicator = make_indicator()
        codes = list(
            Organisation.objects.filter(kind="municipality").values_list("scb_code", flat=True)
        )
        store(indicator, {code: {2022: float(i % 50)} for i, code in enumerate(codes) if code})
        with CaptureQueriesContext(connection) as queries:
            ranked = selectors.ranking(indicator=indicator, year=2022)
        assert len(queries) == 1
        assert len(ranked) == 290
        assert ranked[0].value == 0 and ranked[0].rank == 1  # lower is better
        assert ranked[-1].value == 49
        # 290 values, 50 distinct: 6 (or 5) share each value and so its rank.
        assert ranked[-1].rank == 290 - 5 + 1
        assert {r.quartile for r in ranked} == {1, 2, 3, 4}
        # Organisation fields the pages show come with the one query.
        with CaptureQueriesContext(connection) as queries:
            names = [(r.organisation.name, r.organisation.county) for r in ranked]
        assert len(queries) == 0 and len(names) == 290

    def test_years_with_values_latest_first(self) -> None:
        indicator = make_indicator()
        store(indicator, {BORAS: {2019: 1, 2022: 2}, GOTEBORG: {2021: None}, "0000": {2023: 1}})
        assert selectors.years_with_values(indicator=indicator) == [2022, 2019]


class TestReferenceValues:
    def test_riket_county_means_and_ranks(self) -> None:
        indicator = make_indicator(direction=Indicator.Direction.DECREASE)
        store(
            indicator,
            {
                "0000": {2021: 50, 2022: 48},
                "14": {2022: 47},  # the region has a value for 2022 only
                BORAS: {2021: 55, 2022: 52},
                GOTEBORG: {2021: 45, 2022: 40},
                STOCKHOLM: {2021: 60, 2022: 44},
            },
        )
        refs = selectors.reference_values(indicator=indicator, organisation=organisation(BORAS))
        assert refs.years == [2021, 2022]
        assert refs.riket.value(2022) == 48
        assert refs.county is not None
        assert refs.county.label == "Västra Götalands län"
        assert refs.county.point(2022) == selectors.ReferencePoint(47.0)
        # 2021: no region value, so the mean of the county's municipalities, labelled as such.
        fallback = refs.county.point(2021)
        assert fallback.value == pytest.approx(50.0)  # Borås 55 and Göteborg 45
        assert "mean of the county" in fallback.note
        assert refs.mean.value(2022) == pytest.approx((52 + 40 + 44) / 3)
        assert refs.median.value(2022) == 44
        assert refs.own == {2021: 55, 2022: 52}
        # Lower is better: Borås is 2nd of 3 in 2021, 3rd of 3 in 2022.
        assert refs.ranks == {2021: (2, 3, 3), 2022: (3, 3, 4)}

    def test_given_years_only(self) -> None:
        indicator = make_indicator()
        store(indicator, {BORAS: {2020: 1, 2021: 2, 2022: 3}})
        refs = selectors.reference_values(
            indicator=indicator, organisation=organisation(BORAS), years=[2021]
        )
        assert refs.years == [2021] and refs.own == {2021: 2}

    def test_groups_not_synced_are_said_so(self) -> None:
        indicator = make_indicator()
        store(indicator, {BORAS: {2022: 1}})
        refs = selectors.reference_values(indicator=indicator, organisation=organisation(BORAS))
        assert len(refs.groups) == 1
        assert "not synced" in refs.groups[0].note
        assert refs.groups[0].value(2022) is None
        assert refs.groups[0] in refs.lines  # shown, not hidden

    def test_group_mean_and_not_in_any_group(self) -> None:
        indicator = make_indicator()
        store(
            indicator,
            {BORAS: {2022: 10}, GOTEBORG: {2022: 20}, STOCKHOLM: {2022: 60}, ALE: {2022: 99}},
        )
        group = MunicipalityGroup.objects.create(kolada_id="G1", title="Större städer")
        group.members.add(organisation(BORAS), organisation(GOTEBORG), organisation(STOCKHOLM))
        MunicipalityGroup.objects.create(kolada_id="G2", title="Annan grupp").members.add(
            organisation(ALE)
        )
        refs = selectors.reference_values(indicator=indicator, organisation=organisation(BORAS))
        assert [line.label for line in refs.groups] == ["Större städer"]
        assert refs.groups[0].value(2022) == pytest.approx(30.0)
        lonely = selectors.reference_values(indicator=indicator, organisation=organisation(KIRUNA))
        assert "not in any municipality group" in lonely.groups[0].note

    def test_network_mean_of_members_today(self) -> None:
        indicator = make_indicator()
        store(indicator, {BORAS: {2022: 10}, GOTEBORG: {2022: 20}, ALE: {2022: 90}})
        network = NetworkFactory(name="Nätverket")
        MembershipFactory(network=network, organisation=organisation(BORAS))
        MembershipFactory(network=network, organisation=organisation(GOTEBORG))
        # Ale left last year: not a member today, not in the mean.
        MembershipFactory(
            network=network,
            organisation=organisation(ALE),
            end_date=timezone.localdate() - datetime.timedelta(days=365),
        )
        refs = selectors.reference_values(
            indicator=indicator, organisation=organisation(BORAS), network=network
        )
        assert refs.network is not None
        assert refs.network.value(2022) == pytest.approx(15.0)
        assert "Nätverket" in refs.network.label

    def test_region_and_riket_pages_have_no_county_or_rank(self) -> None:
        indicator = make_indicator()
        store(indicator, {"0000": {2022: 5}, "14": {2022: 6}, BORAS: {2022: 7}})
        region = selectors.reference_values(indicator=indicator, organisation=organisation("14"))
        assert region.county is None and region.groups == [] and region.ranks == {}
        assert region.own == {2022: 6}
        riket = selectors.reference_values(indicator=indicator, organisation=organisation("0000"))
        assert riket.own == {2022: 5} and riket.riket.value(2022) == 5

    def test_few_queries(self) -> None:
        indicator = make_indicator()
        store(indicator, {BORAS: {y: float(y) for y in range(2000, 2023)}})
        network = NetworkFactory()
        boras = organisation(BORAS)
        with CaptureQueriesContext(connection) as queries:
            selectors.reference_values(indicator=indicator, organisation=boras, network=network)
        assert len(queries) <= 4, [q["sql"] for q in queries]


def _indicators(count: int) -> list[Indicator]:
    indicators = []
    for i in range(count):
        indicator = make_indicator(code=f"T{i:03}", direction=Indicator.Direction.INCREASE)
        store(
            indicator,
            {
                "0000": {2021: 10.0, 2022: 11.0},
                "14": {2022: 12.0},
                BORAS: {2020: 5.0, 2021: 8.0 + i},
                GOTEBORG: {2021: 20.0},
                STOCKHOLM: {2021: 1.0},
            },
        )
        indicators.append(indicator)
    return indicators


class TestOrganisationComparison:
    def test_latest_value_against_the_others(self) -> None:
        indicators = _indicators(2)
        network = NetworkFactory()
        MembershipFactory(network=network, organisation=organisation(BORAS))
        MembershipFactory(network=network, organisation=organisation(GOTEBORG))
        comparison = selectors.organisation_comparison(
            organisation=organisation(BORAS), indicators=indicators, network=network
        )
        assert comparison.county_label == "Västra Götalands län"
        assert "not synced" in comparison.group_note
        row = comparison.rows[0]
        assert row.indicator == indicators[0]
        assert (row.year, row.value, row.riket) == (2021, 8.0, 10.0)
        # The region has a value for 2022 only: for 2021 the county is its municipalities' mean.
        assert row.county.value == pytest.approx(14.0) and row.county.note
        assert row.network == pytest.approx(14.0)
        assert row.group is None
        assert (row.rank, row.count, row.quartile) == (2, 3, 3)
        assert row.target is None and row.progress is None

    def test_progress_from_a_target(self) -> None:
        (indicator,) = _indicators(1)
        boras = organisation(BORAS)
        # Baseline 5 (2020, from the values), target 10 in 2030, latest 8 in 2021: on track.
        target = IndicatorTarget.objects.create(
            organisation=boras,
            indicator=indicator,
            baseline_year=2020,
            target_year=2030,
            target_value=10.0,
        )
        row = selectors.organisation_comparison(organisation=boras, indicators=[indicator]).rows[0]
        assert row.target == target
        assert row.progress == Status.SUBSTANTIAL
        target.baseline_value, target.baseline_year = 9.0, 2015
        target.save()
        row = selectors.organisation_comparison(organisation=boras, indicators=[indicator]).rows[0]
        assert row.progress == Status.DETERIORATION

    def test_indicator_without_values(self) -> None:
        indicator = make_indicator(code="EMPTY")
        IndicatorTarget.objects.create(
            organisation=organisation(BORAS), indicator=indicator, target_value=1.0
        )
        row = selectors.organisation_comparison(
            organisation=organisation(BORAS), indicators=[indicator]
        ).rows[0]
        assert row.value is None and row.rank is None
        assert row.progress == Status.NOT_ENOUGH_DATA

    def test_query_count_does_not_grow_with_indicators(self) -> None:
        network = NetworkFactory()
        MembershipFactory(network=network, organisation=organisation(BORAS))
        group = MunicipalityGroup.objects.create(kolada_id="G1", title="Grupp")
        group.members.add(organisation(BORAS), organisation(GOTEBORG))
        indicators = _indicators(12)
        boras = organisation(BORAS)
        counts = []
        for chosen in (indicators[:2], indicators):
            with CaptureQueriesContext(connection) as queries:
                comparison = selectors.organisation_comparison(
                    organisation=boras, indicators=chosen, network=network
                )
            counts.append(len(queries))
        # The groups, the figures and the targets.
        assert counts[0] == counts[1] == 3
        assert comparison.group_label == "Grupp"
        assert comparison.rows[5].group == pytest.approx((13.0 + 20.0) / 2)

    @pytest.mark.parametrize("direction", list(Indicator.Direction))
    def test_the_databases_figures_agree_with_the_ranking_and_references(
        self, direction: str
    ) -> None:
        """The comparison's figures are aggregated by the database, the ranking's and the trend's
        in Python: on the same values (ties, missing values, a gap year) they must agree."""
        indicator = make_indicator(direction=direction)
        municipalities = list(
            Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).order_by("pk")[:60]
        )
        values: dict[str, dict[int, float | None]] = {
            m.scb_code or "": {2021: float(i % 7), 2022: None if i % 9 == 0 else float(i % 11)}
            for i, m in enumerate(municipalities)
        }
        values["0000"] = {2021: 3.5}
        store(indicator, values)
        network = NetworkFactory()
        for m in municipalities[::4]:
            MembershipFactory(network=network, organisation=m)
        group = MunicipalityGroup.objects.create(kolada_id="G1", title="Grupp")
        group.members.add(*municipalities[::3])
        for own in municipalities[:12]:
            row = selectors.organisation_comparison(
                organisation=own, indicators=[indicator], network=network
            ).rows[0]
            assert row.year is not None
            ranked = {
                r.organisation.pk: r for r in selectors.ranking(indicator=indicator, year=row.year)
            }
            assert (row.rank, row.count, row.quartile) == (
                ranked[own.pk].rank,
                ranked[own.pk].count,
                ranked[own.pk].quartile,
            )
            refs = selectors.reference_values(
                indicator=indicator, organisation=own, years=[row.year], network=network
            )
            assert row.riket == refs.riket.value(row.year)
            assert refs.county is not None and refs.network is not None
            assert row.county.value == pytest.approx(refs.county.value(row.year))
            assert row.county.note == refs.county.point(row.year).note
            assert row.group == pytest.approx(refs.groups[0].value(row.year))
            assert row.network == pytest.approx(refs.network.value(row.year))

    def test_region(self) -> None:
        (indicator,) = _indicators(1)
        row = selectors.organisation_comparison(
            organisation=organisation("14"), indicators=[indicator]
        ).rows[0]
        assert (row.year, row.value, row.riket) == (2022, 12.0, 11.0)
        assert row.rank is None and row.county.value is None


def test_series() -> None:
    indicator = make_indicator()
    store(indicator, {BORAS: {2021: 1.5, 2022: None}, "0000": {2022: 3.0}})
    result = selectors.series(
        indicator=indicator,
        organisations=[organisation(BORAS), organisation("0000"), organisation(ALE)],
    )
    boras, riket, ale = (organisation(c).pk for c in (BORAS, "0000", ALE))
    assert result == {boras: {2021: 1.5, 2022: None}, riket: {2022: 3.0}, ale: {}}


def test_network_ranking_ranks_members_among_themselves_and_all() -> None:
    indicator = make_indicator(direction=Indicator.Direction.DECREASE)
    store(indicator, {BORAS: {2022: 30}, GOTEBORG: {2022: 10}, ALE: {2022: 20}, LERUM: {2022: 5}})
    network = NetworkFactory()
    for code in (BORAS, ALE, MARK):
        MembershipFactory(network=network, organisation=organisation(code))
    result = selectors.network_ranking(network=network, indicator=indicator, year=2022)
    assert [
        (r.ranked.organisation.scb_code, r.network_rank, r.ranked.rank) for r in result.rows
    ] == [
        (ALE, 1, 3),
        (BORAS, 2, 4),
    ]
    assert [o.scb_code for o in result.without_value] == [MARK]


class TestDefaults:
    def test_a_member_networks_set_comes_before_sekom(self) -> None:
        network = NetworkFactory(name="Nätverk A")
        # SEKOM's set ships with the catalogue (a data migration).
        sekom = IndicatorSet.objects.get(slug="sekom-12")
        assert selectors.default_indicator_set(networks=[]) == sekom
        own = IndicatorSet.objects.create(name="Vårt", slug="vart", kind="network", network=network)
        assert selectors.default_indicator_set(networks=[network]) == own

    def test_default_set_picked_from_a_list(self) -> None:
        first, second = NetworkFactory(name="A"), NetworkFactory(name="B")
        sekom = IndicatorSet(name="SEKOM", slug="sekom-12", kind="key_indicators")
        of_second = IndicatorSet(name="A-set", slug="a", kind="network", network=second)
        of_first = IndicatorSet(name="Z-set", slug="z", kind="network", network=first)
        sets = [of_second, sekom, of_first]
        assert selectors.pick_default_set(sets=sets, networks=[first, second]) == of_first
        assert selectors.pick_default_set(sets=sets, networks=[second]) == of_second
        assert selectors.pick_default_set(sets=sets, networks=[]) == sekom
        assert selectors.pick_default_set(sets=[of_first], networks=[]) is None

    def test_network_choices_mark_todays_memberships(self) -> None:
        current, former, other = (NetworkFactory(name=n) for n in ("B", "A", "C"))
        MembershipFactory(network=current, organisation=organisation(BORAS))
        MembershipFactory(
            network=former, organisation=organisation(BORAS), end_date=datetime.date(2021, 1, 1)
        )
        MembershipFactory(network=other, organisation=organisation(ALE))
        boras = organisation(BORAS)
        with CaptureQueriesContext(connection) as queries:
            choices = selectors.network_choices(organisation=boras)
        assert len(queries) == 1
        assert choices.networks == [former, current, other]
        assert choices.member_of == [current]

    def test_no_set_at_all(self) -> None:
        IndicatorSet.objects.all().delete()
        assert selectors.default_indicator_set(networks=[]) is None

    def test_member_networks_today(self) -> None:
        current, former = NetworkFactory(name="B"), NetworkFactory(name="A")
        MembershipFactory(network=current, organisation=organisation(BORAS))
        MembershipFactory(
            network=former, organisation=organisation(BORAS), end_date=datetime.date(2021, 1, 1)
        )
        assert selectors.member_networks(organisation=organisation(BORAS)) == [current]

    def test_set_indicators_in_position_order(self) -> None:
        indicator_set = IndicatorSet.objects.create(name="S", slug="s", kind="network")
        second, first = make_indicator(code="B1"), make_indicator(code="A2")
        IndicatorSetEntry.objects.create(indicator_set=indicator_set, indicator=second, position=2)
        IndicatorSetEntry.objects.create(indicator_set=indicator_set, indicator=first, position=1)
        assert selectors.set_indicators(indicator_set=indicator_set) == [first, second]

    def test_indicators_with_values_at_most_the_limit(self) -> None:
        for i in range(3):
            store(make_indicator(code=f"V{i}"), {BORAS: {2022: 1.0}})
        make_indicator(code="V9")  # no values
        assert [
            i.code
            for i in selectors.indicators_with_values(organisation=organisation(BORAS), limit=2)
        ] == [
            "V0",
            "V1",
        ]
