"""The shipped data: Agenda 2030's 17 goals and 169 targets, and the starter catalogue."""

import re

import pytest

from navet.indicators import catalogue
from navet.indicators.catalogue import agenda2030_data, catalogue_data, ensure_catalogue
from navet.indicators.models import (
    Indicator,
    IndicatorSet,
    IndicatorSetEntry,
    SdgGoal,
    SdgTarget,
)

# How many targets each goal has, as the UN numbers them (A/RES/70/1).
TARGETS_PER_GOAL = {
    1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8,
    10: 10, 11: 10, 12: 11, 13: 5, 14: 10, 15: 12, 16: 12, 17: 19,
}  # fmt: skip
LETTERS = {1: "ab", 2: "abc", 3: "abcd", 12: "abc", 13: "ab", 17: ""}


def test_the_json_has_17_goals_and_169_targets_numbered_as_the_un_does() -> None:
    goals = agenda2030_data()
    assert [goal["number"] for goal in goals] == list(range(1, 18))
    assert sum(len(goal["targets"]) for goal in goals) == 169
    for goal in goals:
        number = goal["number"]
        codes = [target["code"] for target in goal["targets"]]
        assert len(codes) == TARGETS_PER_GOAL[number], number
        numbered = [code for code in codes if code.split(".")[1].isdigit()]
        lettered = [code.split(".")[1] for code in codes if not code.split(".")[1].isdigit()]
        # 1.1, 1.2, … then 1.a, 1.b, …: numbered targets first, in order, then the letters.
        assert numbered == [f"{number}.{i}" for i in range(1, len(numbered) + 1)]
        assert codes == numbered + [f"{number}.{letter}" for letter in lettered]
        assert lettered == sorted(lettered)
        if number in LETTERS:
            assert "".join(lettered) == LETTERS[number]
        for target in goal["targets"]:
            assert target["title_sv"].strip() and target["title_en"].strip(), target["code"]
            assert target["title_sv"] != target["title_en"], target["code"]


def test_swedish_and_english_wordings_are_the_official_ones_where_spot_checked() -> None:
    targets = {t["code"]: t for goal in agenda2030_data() for t in goal["targets"]}
    assert targets["12.3"]["title_sv"].startswith("Till 2030, halvera det globala matsvinnet")
    assert targets["12.3"]["title_en"].startswith("By 2030, halve per capita global food waste")
    assert targets["1.1"]["title_sv"].startswith("Senast 2030 avskaffa den extrema fattigdomen")
    assert "17.19" in targets and "16.10" in targets and "8.10" in targets
    goals = {goal["number"]: goal for goal in agenda2030_data()}
    assert goals[13]["title_sv"] == "Bekämpa klimatförändringarna"
    assert goals[13]["title_en"] == "Climate action"


@pytest.mark.django_db
def test_the_migration_loaded_agenda2030_and_the_catalogue() -> None:
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    for goal in SdgGoal.objects.all():
        assert goal.targets.count() == TARGETS_PER_GOAL[goal.number]
    target = SdgTarget.objects.get(code="12.c")
    assert target.goal.number == 12
    assert target.position == 11
    assert Indicator.objects.filter(code="N00401").exists()
    assert IndicatorSet.objects.get(slug="sekom-12").entries.count() == 12


@pytest.mark.django_db
def test_goal_and_target_titles_follow_the_language() -> None:
    from django.utils import translation

    goal = SdgGoal.objects.get(number=12)
    target = SdgTarget.objects.get(code="12.3")
    with translation.override("sv"):
        assert goal.title == "Hållbar konsumtion och produktion"
        assert "matsvinnet" in target.title
    with translation.override("en"):
        assert goal.title == "Responsible consumption and production"
        assert "food waste" in target.title


@pytest.mark.django_db
def test_ensuring_the_catalogue_twice_creates_nothing_and_restores_titles() -> None:
    tables = [SdgGoal, SdgTarget, Indicator, IndicatorSet, IndicatorSetEntry]
    before = {model: model._default_manager.count() for model in tables}
    links_before = Indicator.goals.through.objects.count()

    SdgGoal.objects.filter(number=12).update(title_sv="Fel")
    Indicator.objects.filter(code="N00401").update(title="Fel", is_demo=True)
    hand_linked = Indicator.objects.get(code="N85054")
    hand_linked.goals.add(SdgGoal.objects.get(number=3))  # added by hand in the admin

    counts = ensure_catalogue()

    assert counts.created == 0
    assert counts.updated == 2
    assert {model: model._default_manager.count() for model in tables} == before
    assert SdgGoal.objects.get(number=12).title_sv == "Hållbar konsumtion och produktion"
    n00401 = Indicator.objects.get(code="N00401")
    assert n00401.title.startswith("Utsläpp till luft av växthusgaser")
    assert n00401.is_demo  # the demo flag is the demo's, not the catalogue's
    assert 3 in set(hand_linked.goals.values_list("number", flat=True))
    assert Indicator.goals.through.objects.count() == links_before + 1
    assert ensure_catalogue() == catalogue.LoadCounts(created=0, updated=0)


@pytest.mark.django_db
def test_ensuring_the_catalogue_fills_an_emptied_database() -> None:
    Indicator.objects.all().delete()
    IndicatorSet.objects.all().delete()
    SdgGoal.objects.all().delete()
    counts = ensure_catalogue()
    shipped = catalogue_data()
    assert SdgTarget.objects.count() == 169
    assert Indicator.objects.count() == len(shipped["indicators"])
    assert counts.created == 17 + 169 + len(shipped["indicators"]) + len(shipped["sets"]) + sum(
        len(row["entries"]) for row in shipped["sets"]
    )


def test_the_catalogue_uses_kolada_ids_or_own_navet_codes() -> None:
    data = catalogue_data()
    directions = set(Indicator.Direction.values)
    dimensions = set(Indicator.Dimension.values)
    targets = {t["code"] for goal in agenda2030_data() for t in goal["targets"]}
    codes = [row["code"] for row in data["indicators"]]
    assert len(codes) == len(set(codes))
    for row in data["indicators"]:
        if row["source"] == "kolada":
            assert re.fullmatch(r"[NU]\d{5}", row["code"]), row["code"]
        else:
            assert row["source"] == "own"
            assert row["code"].startswith("NAVET-"), row["code"]
        assert row["title"] and row["unit"] and row["keyword"]
        assert row["direction"] in directions
        assert row["dimension"] in dimensions
        assert set(row["targets"]) <= targets
        # An indicator linked to a target is linked to that target's goal too.
        assert {int(code.split(".")[0]) for code in row["targets"]} <= set(row["goals"])


def test_the_catalogue_has_the_indicators_the_brief_names() -> None:
    by_code = {row["code"]: row for row in catalogue_data()["indicators"]}
    assert by_code["N00401"]["direction"] == "decrease"  # greenhouse gases per inhabitant
    assert by_code["U07409"]["direction"] == "increase"  # organic food
    assert by_code["N85054"]["direction"] == "increase"  # protected nature
    assert by_code["U07801"]["unit"] == "kg/inv"  # municipal waste per inhabitant
    assert by_code["N45925"]["targets"] == ["7.2"]  # renewable electricity
    assert by_code["NAVET-MALTIDSSVINN"]["unit"] == "g/ätande"
    assert by_code["NAVET-MALTIDSSVINN"]["keyword"] == "Minskat matsvinn"
    assert by_code["NAVET-MALTIDSSVINN"]["dimension"] == "economic"  # as Grums's table has it


def test_the_sets_sekom_12_and_the_regional_strategy_example() -> None:
    sets = {row["slug"]: row for row in catalogue_data()["sets"]}
    sekom = sets["sekom-12"]
    assert sekom["kind"] == "key_indicators"
    assert [entry["area"].split(".")[0] for entry in sekom["entries"]] == [
        str(n) for n in range(1, 13)
    ]
    strategy = sets["varmlandsstrategin"]
    assert strategy["kind"] == "regional_strategy"
    assert [(e["code"], e["area"]) for e in strategy["entries"]] == [
        ("NAVET-SERVERINGSVINN", "Robust samhälle"),
        ("NAVET-TALLRIKSSVINN", "Robust samhälle"),
        ("NAVET-MALTIDSSVINN", "Robust samhälle"),
    ]


@pytest.mark.parametrize(
    ("title", "unit", "shown"),
    [
        ("Skyddad natur totalt, andel (%)", "%", ""),
        ("Utsläpp till luft av växthusgaser totalt, ton CO2-ekv/inv", "ton CO2-ekv/inv", ""),
        ("Insamlat kommunalt avfall totalt, kg/invånare (justerat)", "kg/inv", ""),
        ("Måltidssvinn i grundskolan, gram/ätande", "g/ätande", "g/ätande"),
        ("Antal laddstationer", "st", "st"),  # "st" inside a word is not the unit
        ("Andel förnybar energi", "", ""),
    ],
)
def test_the_unit_follows_a_title_that_does_not_state_it(title: str, unit: str, shown: str) -> None:
    assert Indicator(code="X", title=title, unit=unit).unit_after_title == shown
