"""Progress status (Statistics Canada's method, as Open SDG uses it): every status, both
directions, the linear fallback for zero and negative values, no target, too little data."""

import pytest

from navet.indicators.progress import LABELS, Point, Status, progress_status

pytestmark = pytest.mark.usefixtures("in_english")

BASE = Point(2015, 100.0)


def status(
    latest: Point | None,
    *,
    direction: str = "increase",
    target: Point | None = None,
    baseline: Point | None = BASE,
) -> Status:
    return progress_status(baseline=baseline, latest=latest, direction=direction, target=target)


class TestWithTarget:
    # Increase from 100 (2015) to 200 (2025): the required growth is 2 ** (1/10) - 1 ≈ 7.18 %
    # a year. After 5 years on that path the value would be 100 * 2 ** 0.5 ≈ 141.4.
    TARGET = Point(2025, 200.0)

    @pytest.mark.parametrize(
        ("latest_value", "expected"),
        [
            (200.0, Status.ACHIEVED),  # at the target
            (230.0, Status.ACHIEVED),  # beyond it
            (141.0, Status.SUBSTANTIAL),  # 7.12 % a year: ratio 0.99
            (135.0, Status.MODERATE),  # 6.19 % a year: ratio 0.86
            (110.0, Status.LIMITED),  # 1.92 % a year: ratio 0.27
            (95.0, Status.DETERIORATION),
        ],
    )
    def test_increase(self, latest_value: float, expected: Status) -> None:
        assert status(Point(2020, latest_value), target=self.TARGET) == expected

    def test_each_grade_at_its_ratio(self) -> None:
        required = 2 ** (1 / 10) - 1

        def latest_for(ratio: float) -> Point:
            return Point(2020, 100 * (1 + ratio * required) ** 5)

        assert status(latest_for(0.96), target=self.TARGET) == Status.SUBSTANTIAL
        assert status(latest_for(0.94), target=self.TARGET) == Status.MODERATE
        assert status(latest_for(0.5), target=self.TARGET) == Status.MODERATE
        assert status(latest_for(0.49), target=self.TARGET) == Status.LIMITED
        assert status(latest_for(0.0), target=self.TARGET) == Status.LIMITED
        assert status(latest_for(-0.1), target=self.TARGET) == Status.DETERIORATION

    def test_decrease_direction(self) -> None:
        # Halve food waste from 100 (2015) by 2030: -4.52 % a year is needed.
        target = Point(2030, 50.0)

        def graded(value: float) -> Status:
            return status(Point(2020, value), direction="decrease", target=target)

        assert graded(80.0) == Status.SUBSTANTIAL  # -4.36 % a year: ratio 0.97
        assert graded(95.0) == Status.LIMITED  # -1.02 % a year: ratio 0.23
        assert graded(120.0) == Status.DETERIORATION
        assert graded(50.0) == Status.ACHIEVED
        assert graded(40.0) == Status.ACHIEVED

    def test_decrease_grades_exactly(self) -> None:
        target = Point(2030, 50.0)
        required = 0.5 ** (1 / 15) - 1
        # 2.09 % a year down against 4.52 % needed: ratio 0.46, limited.
        latest = Point(2020, 90.0)
        ratio = ((90 / 100) ** (1 / 5) - 1) / required
        assert 0 < ratio < 0.5
        assert status(latest, direction="decrease", target=target) == Status.LIMITED
        # 3 % a year down: ratio 0.66, moderate.
        latest = Point(2020, 100 * 0.97**5)
        assert status(latest, direction="decrease", target=target) == Status.MODERATE

    def test_no_direction_takes_the_targets_side(self) -> None:
        up, down = Point(2025, 200.0), Point(2025, 50.0)
        assert status(Point(2020, 141.0), direction="none", target=up) == Status.SUBSTANTIAL
        assert status(Point(2020, 141.0), direction="none", target=down) == Status.DETERIORATION
        assert status(Point(2020, 50.0), direction="none", target=down) == Status.ACHIEVED

    def test_target_behind_the_baseline_not_reached_is_deterioration(self) -> None:
        # Increase wanted, the target (90) lies below the baseline and the value fell below it.
        assert status(Point(2020, 85.0), target=Point(2025, 90.0)) == Status.DETERIORATION
        assert status(Point(2020, 95.0), target=Point(2025, 90.0)) == Status.ACHIEVED


class TestLinearFallback:
    """Growth rates need positive values; with a zero or negative one, yearly change is used."""

    def test_zero_baseline(self) -> None:
        baseline = Point(2015, 0.0)
        target = Point(2025, 10.0)  # 1 a year needed
        assert status(Point(2020, 5.0), baseline=baseline, target=target) == Status.SUBSTANTIAL
        assert status(Point(2020, 3.0), baseline=baseline, target=target) == Status.MODERATE
        assert status(Point(2020, 1.0), baseline=baseline, target=target) == Status.LIMITED
        assert status(Point(2020, -1.0), baseline=baseline, target=target) == (Status.DETERIORATION)

    def test_negative_values(self) -> None:
        # A net figure from -10 (2015) to 0 (2030): 2/3 a year needed; -8 in 2020 is 0.4 a
        # year, ratio 0.6.
        baseline = Point(2015, -10.0)
        target = Point(2030, 0.0)
        assert status(Point(2020, -8.0), baseline=baseline, target=target) == Status.MODERATE
        assert status(Point(2020, -6.5), baseline=baseline, target=target) == Status.SUBSTANTIAL
        assert status(Point(2020, -12.0), baseline=baseline, target=target) == (
            Status.DETERIORATION
        )

    def test_zero_latest_value_with_decrease(self) -> None:
        # Down to zero from 100 with a target of 20: beyond the target, achieved.
        assert status(Point(2020, 0.0), direction="decrease", target=Point(2030, 20.0)) == (
            Status.ACHIEVED
        )
        # Down to zero with a target of -10 (net emissions, say): linear, 20 a year against
        # 110 / 15 ≈ 7.3 needed.
        assert status(Point(2020, 0.0), direction="decrease", target=Point(2030, -10.0)) == (
            Status.SUBSTANTIAL
        )

    def test_no_target_with_zero_baseline_grades_the_linear_change(self) -> None:
        baseline = Point(2015, 0.0)
        assert status(Point(2020, 5.0), baseline=baseline) == Status.SUBSTANTIAL
        assert status(Point(2020, -5.0), baseline=baseline) == Status.DETERIORATION


class TestWithoutTarget:
    """The actual yearly rate in the desired direction: >= 1 % substantial, >= 0.5 %
    moderate, >= 0 limited, below 0 deterioration."""

    @pytest.mark.parametrize(
        ("latest_value", "expected"),
        [
            (106.0, Status.SUBSTANTIAL),  # 1.17 % a year
            (103.0, Status.MODERATE),  # 0.59 % a year
            (101.0, Status.LIMITED),  # 0.2 % a year
            (100.0, Status.LIMITED),  # no change
            (99.0, Status.DETERIORATION),
        ],
    )
    def test_increase(self, latest_value: float, expected: Status) -> None:
        assert status(Point(2020, latest_value)) == expected

    @pytest.mark.parametrize(
        ("latest_value", "expected"),
        [
            (94.0, Status.SUBSTANTIAL),  # -1.23 % a year
            (97.0, Status.MODERATE),  # -0.61 % a year
            (99.0, Status.LIMITED),
            (104.0, Status.DETERIORATION),
        ],
    )
    def test_decrease(self, latest_value: float, expected: Status) -> None:
        assert status(Point(2020, latest_value), direction="decrease") == expected

    def test_no_direction_and_no_target_says_nothing(self) -> None:
        assert status(Point(2020, 120.0), direction="none") == Status.NOT_ENOUGH_DATA


class TestNotEnoughData:
    def test_missing_points(self) -> None:
        assert status(None) == Status.NOT_ENOUGH_DATA
        assert status(Point(2020, 120.0), baseline=None) == Status.NOT_ENOUGH_DATA

    def test_latest_not_after_the_baseline(self) -> None:
        assert status(Point(2015, 120.0)) == Status.NOT_ENOUGH_DATA
        assert status(Point(2014, 120.0), target=Point(2025, 200.0)) == Status.NOT_ENOUGH_DATA

    def test_target_year_not_after_the_baseline(self) -> None:
        assert status(Point(2020, 120.0), target=Point(2015, 200.0)) == Status.NOT_ENOUGH_DATA

    def test_no_direction_and_target_equal_to_baseline(self) -> None:
        assert (
            status(Point(2020, 120.0), direction="none", target=Point(2025, 100.0))
            == Status.NOT_ENOUGH_DATA
        )


def test_every_status_has_a_label() -> None:
    assert set(LABELS) == set(Status)
    assert Status.ACHIEVED.label == "Target achieved"
    assert Status.NOT_ENOUGH_DATA.label == "Not enough data"
