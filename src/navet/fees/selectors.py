"""Reads for fees: the fee list of a year (computed live, or as stored once published)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from navet.fees import calculation
from navet.fees.models import FeeIndex, FeeLine, FeeScheme, FeeSchemeChange, Population
from navet.networks.models import Membership, Network, Organisation


@dataclass
class MemberFee:
    """One member's calculation. ``amount`` is None when it cannot be computed (``problem``)."""

    organisation: Organisation
    billed_to: Organisation
    is_fixed: bool
    population: int | None
    population_is_demo: bool
    indexed_rate: Decimal
    raw_fee: Decimal | None
    bounded_fee: Decimal | None
    bound: str
    days: int
    days_in_year: int
    pro_rata_fee: Decimal | None
    amount: Decimal | None
    problem: str = ""

    @property
    def is_part_year(self) -> bool:
        return self.days < self.days_in_year


@dataclass
class BilledLine:
    """What one organisation is billed: its own fee and those of members taking part via it."""

    billed_to: Organisation
    members: list[MemberFee] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((m.amount for m in self.members if m.amount is not None), Decimal(0))

    @property
    def is_itemised(self) -> bool:
        return any(m.organisation.pk != self.billed_to.pk for m in self.members)

    @property
    def has_problems(self) -> bool:
        return any(m.problem for m in self.members)


@dataclass
class FeeList:
    scheme: FeeScheme
    prices: calculation.Indexed | None
    lines: list[BilledLine]
    error: str = ""

    @property
    def members(self) -> list[MemberFee]:
        return [member for line in self.lines for member in line.members]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def problems(self) -> list[MemberFee]:
        return [member for member in self.members if member.problem]

    @property
    def uses_demo_population(self) -> bool:
        return any(member.population_is_demo for member in self.members)


def fee_scheme_list(*, network: Network) -> QuerySet[FeeScheme]:
    return FeeScheme.objects.filter(network=network).order_by("-year")


def fee_scheme_get(*, network: Network, year: int) -> FeeScheme | None:
    return FeeScheme.objects.filter(network=network, year=year).first()


def fee_index_list(*, network: Network) -> QuerySet[FeeIndex]:
    return FeeIndex.objects.filter(network=network).order_by("year")


def fee_scheme_history(*, scheme: FeeScheme) -> QuerySet[FeeSchemeChange]:
    return scheme.changes.select_related("actor")


def indices_of(network: Network) -> dict[int, Decimal]:
    return dict(FeeIndex.objects.filter(network=network).values_list("year", "percent"))


def scheme_prices(scheme: FeeScheme) -> calculation.Indexed:
    """The year's indexed rate, floor and ceiling; raises ``IndexMissing``."""
    factor = calculation.index_factor(
        indices=indices_of(scheme.network), base_year=scheme.base_year, year=scheme.year
    )
    return calculation.indexed(
        rate=scheme.rate, floor=scheme.floor, ceiling=scheme.ceiling, factor=factor
    )


def scheme_prices_or_none(scheme: FeeScheme) -> calculation.Indexed | None:
    try:
        return scheme_prices(scheme)
    except calculation.IndexMissing:
        return None


def memberships_in_year(*, network: Network, year: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, start_date__lte=datetime.date(year, 12, 31))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))
        .select_related("organisation", "via")
        .order_by("organisation_id", "start_date")
    )


def compute_member_fees(
    scheme: FeeScheme,
) -> tuple[calculation.Indexed | None, list[MemberFee], str]:
    """Every member of the year with its calculation, computed now from the current data."""
    try:
        prices: calculation.Indexed | None = scheme_prices(scheme)
    except calculation.IndexMissing as missing:
        prices, error = None, missing.message
    else:
        error = ""
    year_days = calculation.days_in_year(scheme.year)
    periods: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    last: dict[int, Membership] = {}
    for membership in memberships_in_year(network=scheme.network, year=scheme.year):
        periods[membership.organisation_id].append((membership.start_date, membership.end_date))
        last[membership.organisation_id] = membership  # the latest period decides the payer
    populations = {
        organisation_id: (inhabitants, source)
        for organisation_id, inhabitants, source in Population.objects.filter(
            organisation_id__in=list(last), year=scheme.population_year
        ).values_list("organisation_id", "inhabitants", "source")
    }
    fees: list[MemberFee] = []
    for organisation_id, membership in last.items():
        organisation = membership.organisation
        days = (
            calculation.membership_days(periods[organisation_id], year=scheme.year)
            if scheme.pro_rata
            else year_days
        )
        is_fixed = organisation.kind != Organisation.Kind.MUNICIPALITY
        population, source = populations.get(organisation_id, (None, ""))
        fee = MemberFee(
            organisation=organisation,
            billed_to=membership.via or organisation,
            is_fixed=is_fixed,
            population=population,
            population_is_demo=source == Population.Source.DEMO,
            indexed_rate=prices.rate if prices else Decimal(0),
            raw_fee=None,
            bounded_fee=None,
            bound="",
            days=days,
            days_in_year=year_days,
            pro_rata_fee=None,
            amount=None,
        )
        steps: calculation.Steps | None = None
        if is_fixed:
            steps = calculation.fixed_fee(
                fee=scheme.fixed_fee,
                days=days,
                year_days=year_days,
                pro_rata=scheme.pro_rata,
                rounding=scheme.rounding,
            )
        elif population is None:
            fee.problem = _(
                "No population for 31 December %(year)s: the fee is not computed. Import it "
                "from Kolada or an SCB file."
            ) % {"year": scheme.population_year}
        elif prices is None:
            fee.problem = error
        else:
            steps = calculation.population_fee(
                population=population,
                prices=prices,
                days=days,
                year_days=year_days,
                pro_rata=scheme.pro_rata,
                rounding=scheme.rounding,
            )
        if steps is not None:
            fee.raw_fee, fee.bounded_fee, fee.bound = steps.raw_fee, steps.bounded_fee, steps.bound
            fee.pro_rata_fee, fee.amount = steps.pro_rata_fee, steps.amount
        fees.append(fee)
    return prices, fees, error


def stored_member_fees(lines: Iterable[FeeLine]) -> list[MemberFee]:
    return [
        MemberFee(
            organisation=line.organisation,
            billed_to=line.billed_to,
            is_fixed=line.is_fixed,
            population=line.population,
            population_is_demo=line.population_is_demo,
            indexed_rate=line.indexed_rate,
            raw_fee=line.raw_fee,
            bounded_fee=line.bounded_fee,
            bound=line.bound,
            days=line.days,
            days_in_year=line.days_in_year,
            pro_rata_fee=line.pro_rata_fee,
            amount=line.amount,
        )
        for line in lines
    ]


def group_billed(fees: list[MemberFee]) -> list[BilledLine]:
    """One line per payer; the payer's own fee first, then its members by name."""
    lines: dict[int, BilledLine] = {}
    for fee in fees:
        line = lines.setdefault(fee.billed_to.pk, BilledLine(billed_to=fee.billed_to))
        line.members.append(fee)
    for line in lines.values():
        line.members.sort(
            key=lambda m: (m.organisation.pk != line.billed_to.pk, m.organisation.name.casefold())
        )
    return sorted(lines.values(), key=lambda line: line.billed_to.name.casefold())


def fee_list(*, scheme: FeeScheme) -> FeeList:
    if scheme.is_published:
        return FeeList(
            scheme=scheme,
            prices=scheme_prices_or_none(scheme),
            lines=group_billed(
                stored_member_fees(scheme.lines.select_related("organisation", "billed_to"))
            ),
        )
    prices, fees, error = compute_member_fees(scheme)
    return FeeList(scheme=scheme, prices=prices, lines=group_billed(fees), error=error)


def fee_total(*, network: Network, year: int) -> Decimal:
    """The sum of the network's fee list for ``year`` as billed (0 without a scheme).

    A published year sums its stored lines; an open year is computed now, and members whose
    fee cannot be computed (no population, a missing index) count as nothing: the fee list
    page says why.
    """
    scheme = fee_scheme_get(network=network, year=year)
    if scheme is None:
        return Decimal(0)
    if scheme.is_published:
        total = Decimal(scheme.lines.aggregate(total=Sum("amount"))["total"] or 0)
    else:
        total = fee_list(scheme=scheme).total
    return total.quantize(calculation.ORE)


def fee_lines_for_organisation(
    *, lines: QuerySet[FeeLine], organisation: Organisation
) -> QuerySet[FeeLine]:
    """A payer's lines (its own and those of members billed to it)."""
    return lines.filter(Q(organisation=organisation) | Q(billed_to=organisation))
