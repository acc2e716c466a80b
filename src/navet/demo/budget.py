"""Demo budgets and status reports.

*Uthållig kommun – klustersamordning* (seeds/003): FSEK's final project budget was 7 478 450
kr over 1 January 2009 – 30 June 2011, on the posts salaries, travel, consultants and other
costs, financed in full by Energimyndigheten. The report gives only the total: the split per
year and post and every outcome amount here are invented (labelled as demo data). The
reports follow the seed: 25 monthly reports (none in the first quarter, "Under projektets
första kvartal hade ännu inte rutiner för månadsrapportering etablerats", and none for July
2009 and 2010), 9 quarterly status reports (none for the last quarter, which the final report
replaced) and the two annual economic reports for 2009 and 2010, all sent.

*Kommunnätverket*: this year's budget with outcome up to last month, monthly reports sent
for the months before last (one left missing), a draft for last month, and a draft for the
Naturvårdsgruppen for the group coordinator's demo login.

Idempotent: a network that already has budget lines is left alone.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from navet.budget import services
from navet.budget.models import BudgetLine, OutcomeEntry, StatusReport
from navet.budget.periods import MONTH, QUARTER, YEAR, period_of, periods_of_year
from navet.fees.selectors import fee_total
from navet.networks.models import Network

UTHALLIG_SLUG = "uthallig-kommun"
KOMMUNNATVERKET_SLUG = "kommunnatverket"
NOTE = "Demodata: fördelningen per år och post är påhittad."
# 7 478 450 kr in all (seeds/003); the split is invented: 2009 and 2010 full years, 2011 half.
UTHALLIG_BUDGET: dict[int, list[tuple[str, str, int]]] = {
    2009: [
        ("salaries", "Lönekostnader", 2_310_000),
        ("travel", "Resor", 260_000),
        ("consultants", "Konsultkostnader (extern utvärdering m.m.)", 150_000),
        ("other", "Övriga kostnader", 120_000),
    ],
    2010: [
        ("salaries", "Lönekostnader", 2_480_000),
        ("travel", "Resor", 280_000),
        ("consultants", "Konsultkostnader (extern utvärdering m.m.)", 180_000),
        ("other", "Övriga kostnader", 130_000),
    ],
    2011: [
        ("salaries", "Lönekostnader", 1_290_000),
        ("travel", "Resor", 140_000),
        ("consultants", "Konsultkostnader (extern utvärdering m.m.)", 80_450),
        ("other", "Övriga kostnader", 58_000),
    ],
}
ACCOUNTS = {"salaries": "7010", "travel": "5800", "consultants": "6550", "other": "6990"}
PROGRAMME_END = datetime.date(2011, 6, 30)
KOMMUNNATVERKET_BUDGET = [
    ("salaries", "Lön nätverkssamordnare", "7010", 620_000),
    ("meetings", "Nätverksträffar (lokal, fika, lunch)", "5800", 95_000),
    ("travel", "Resor", "5810", 30_000),
    ("consultants", "Föreläsare och konsulter", "6550", 60_000),
    ("own", "Webbplats och nyhetsbrev", "6540", 18_000),
    ("other", "Övriga kostnader", "6990", 12_000),
]


def _month_entries(line: BudgetLine, months: list[datetime.date], rng: random.Random) -> None:
    """Spread about the planned amount over the months, with noise (demo data)."""
    if not months:
        return
    share = line.planned / 12
    for month in months:
        end = period_of(MONTH, month).end
        amount = (share * Decimal(rng.uniform(0.7, 1.25))).quantize(Decimal("1"))
        OutcomeEntry.objects.create(line=line, date=end, amount=amount, text="Demodata")


def _uthallig(network: Network) -> None:
    rng = random.Random(3)
    total = sum(amount for lines in UTHALLIG_BUDGET.values() for *_x, amount in lines)
    assert total == 7_478_450, total
    for year, lines in UTHALLIG_BUDGET.items():
        months = [p.start for p in periods_of_year(MONTH, year) if p.end <= PROGRAMME_END]
        for category, name, amount in lines:
            line = services.line_create(
                actor=None, network=network, year=year, name=name, category=category,
                planned=Decimal(amount), account=ACCOUNTS[category], note=NOTE,
            )  # fmt: skip
            _month_entries(line, months, rng)
        grant = services.line_create(
            actor=None, network=network, year=year, name="Bidrag från Energimyndigheten",
            kind=BudgetLine.Kind.INCOME, category=BudgetLine.Category.GRANT,
            planned=Decimal(sum(amount for *_x, amount in lines)), note=NOTE,
        )  # fmt: skip
        # Requisitioned quarterly in arrears (seeds/003): each quarter's costs, booked at its end.
        for quarter in periods_of_year(QUARTER, year):
            if quarter.end > PROGRAMME_END:
                continue
            costs = OutcomeEntry.objects.filter(
                line__network=network,
                line__kind=BudgetLine.Kind.COST,
                date__range=(quarter.start, quarter.end),
            ).aggregate(total=Sum("amount"))["total"]
            if costs:
                OutcomeEntry.objects.create(
                    line=grant, date=quarter.end, amount=costs, text="Rekvisition (demodata)"
                )
    texts = {
        "done": "Klusterträffar och webbmöten enligt plan; stöd till kommunernas kontaktpersoner.",
        "deviations": "Inga större avvikelser.",
        "next_period": "Fortsatta klusterträffar och rapportering till Energimyndigheten.",
    }
    periods = [
        p
        for year in (2009, 2010, 2011)
        for p in periods_of_year(MONTH, year)
        if datetime.date(2009, 4, 1) <= p.start and p.end <= PROGRAMME_END and p.start.month != 7
    ]
    periods += [
        p
        for year in (2009, 2010, 2011)
        for p in periods_of_year(QUARTER, year)
        if p.end < datetime.date(2011, 4, 1)
    ]
    periods += [
        period_of(YEAR, datetime.date(2009, 1, 1)),
        period_of(YEAR, datetime.date(2010, 1, 1)),
    ]
    for period in periods:
        _sent(network, period.kind, period.start, texts)


def _sent(network: Network, kind: str, start: datetime.date, texts: dict[str, str]) -> None:
    report = services.report_create(actor=None, network=network, kind=kind, period_start=start)
    services.report_update(actor=None, report=report, **texts)
    services.report_send(actor=None, report=report)
    # Sent a week after the period ended, as FSEK did.
    StatusReport.objects.filter(pk=report.pk).update(
        sent_at=timezone.make_aware(
            datetime.datetime.combine(
                report.period_end + datetime.timedelta(days=7), datetime.time(9)
            )
        )
    )


def _planned_fee_income(network: Network, year: int) -> Decimal:
    """What a coordinator would budget: last year's fee list rounded down to 10 000 kr (the
    demo's fees are loaded first), or a round sum where there is none."""
    last_year = fee_total(network=network, year=year - 1)
    if not last_year:
        return Decimal(650_000)
    return (last_year // 10_000) * 10_000


def _kommunnatverket(network: Network, today: datetime.date) -> None:
    rng = random.Random(14)
    year = today.year
    months = [p.start for p in periods_of_year(MONTH, year) if p.end < today]
    for category, name, account, amount in KOMMUNNATVERKET_BUDGET:
        line = services.line_create(
            actor=None, network=network, year=year, name=name, category=category,
            account=account, planned=Decimal(amount), note="Demodata",
        )  # fmt: skip
        _month_entries(line, months, rng)
    services.line_create(
        actor=None, network=network, year=year, name="Medlemsavgifter",
        kind=BudgetLine.Kind.INCOME, category=BudgetLine.Category.FEES,
        planned=_planned_fee_income(network, year), note="Utfallet är avgiftslistans summa.",
    )  # fmt: skip
    region = services.line_create(
        actor=None, network=network, year=year, name="Bidrag från regionen",
        kind=BudgetLine.Kind.INCOME, category=BudgetLine.Category.GRANT,
        planned=Decimal(200_000), note="Demodata",
    )  # fmt: skip
    for month in (3, 9):
        paid = period_of(MONTH, datetime.date(year, month, 1)).end
        if paid < today:
            OutcomeEntry.objects.create(
                line=region, date=paid, amount=Decimal(100_000), text="Utbetalning (demodata)"
            )
    texts = {
        "done": "Nätverksträff och arbetsgruppsmöten; nyhetsbrev till kontaktpersonerna.",
        "deviations": "",
        "next_period": "Förbereda nästa nätverksträff.",
    }
    last_month = period_of(MONTH, today.replace(day=1) - datetime.timedelta(days=1))
    for period in periods_of_year(MONTH, year):
        if period.end >= last_month.start:
            break
        if period.start.month == 7:  # the holiday month: left missing, as in seeds/003
            continue
        _sent(network, MONTH, period.start, texts)
    draft = services.report_create(
        actor=None, network=network, kind=MONTH, period_start=last_month.start
    )
    services.report_update(
        actor=None, report=draft, done=texts["done"], deviations="", next_period=""
    )
    group = network.groups.filter(slug__startswith="naturv").first()
    if group is not None:
        services.report_create(
            actor=None, network=network, kind=MONTH, period_start=last_month.start, group=group
        )


@transaction.atomic
def load_demo_budget(*, today: datetime.date | None = None) -> bool:
    """Add the demo budgets and reports; False (and nothing changed) if they are there."""
    today = today or timezone.localdate()
    loaded = False
    uthallig = Network.objects.filter(slug=UTHALLIG_SLUG).first()
    if uthallig is not None and not BudgetLine.objects.filter(network=uthallig).exists():
        _uthallig(uthallig)
        loaded = True
    kommunnatverket = Network.objects.filter(slug=KOMMUNNATVERKET_SLUG).first()
    if (
        kommunnatverket is not None
        and not BudgetLine.objects.filter(network=kommunnatverket).exists()
    ):
        _kommunnatverket(kommunnatverket, today)
        loaded = True
    return loaded
