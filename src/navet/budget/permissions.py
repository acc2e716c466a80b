"""Who may see and change budgets, ledger imports and status reports.

* Budget lines, their outcome and ledger imports are the network coordinators' (and the
  platform admins'): nobody else sees the network's money.
* Status reports: network coordinators (and platform admins) draft, edit and send every report
  of the network, for the whole network or for one of its groups. A group coordinator (a
  cluster coordinator) drafts, edits and sends the reports of their own groups only; such a
  report shows the budget lines of that group, not the network's whole budget. Nobody else
  sees status reports.
* A sent report is locked for everyone (``report_is_editable``); the services refuse changes.
"""

from typing import Any

from django.db.models import Q, QuerySet

from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry, StatusReport
from navet.networks.models import Group, Network, Person
from navet.networks.permissions import (
    CoordinatedNetworkPolicy,
    can_manage_group,
    can_manage_network,
    coordinates_any_group,
    person_of,
)


def can_manage_budget(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_use_status_reports(user: Any, network: Network) -> bool:
    return can_manage_network(user, network) or coordinates_any_group(user, network)


def report_groups(user: Any, network: Network) -> QuerySet[Group]:
    """The groups the user may write status reports for."""
    groups = Group.objects.filter(network=network).order_by("name")
    if can_manage_network(user, network):
        return groups
    person = person_of(user)
    if person is None:
        return groups.none()
    return groups.filter(coordinators=person)


def may_report_for(user: Any, network: Network, group: Group | None) -> bool:
    """Whole-network reports are the network coordinators'; a group's also its coordinators'."""
    if group is None:
        return can_manage_network(user, network)
    return group.network_id == network.pk and can_manage_group(user, group)


def report_is_editable(report: StatusReport) -> bool:
    return not report.is_sent


class BudgetLinePolicy(CoordinatedNetworkPolicy):
    model = BudgetLine


class OutcomeEntryPolicy(CoordinatedNetworkPolicy):
    model = OutcomeEntry
    network_path = "line__network"


class LedgerImportPolicy(CoordinatedNetworkPolicy):
    model = LedgerImport


class StatusReportPolicy(CoordinatedNetworkPolicy):
    """Network coordinators: every report of their networks; group coordinators: the reports
    of the groups they coordinate; platform admins: all."""

    model = StatusReport

    def queryset(self) -> QuerySet[Any]:
        return StatusReport.objects.select_related("network", "group")

    def others(self, person: Person, action: str) -> Q:
        return Q(group__in=Group.objects.filter(coordinators=person).values("pk"))


budget_line_policy = BudgetLinePolicy()
outcome_entry_policy = OutcomeEntryPolicy()
ledger_import_policy = LedgerImportPolicy()
status_report_policy = StatusReportPolicy()
