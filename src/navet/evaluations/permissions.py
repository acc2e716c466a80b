"""Who may do what with evaluations and surveys.

Evaluations and the member survey are the network coordinators' tools (and the platform
admin's): they open, close, read results and answers, and pick quotes. Answering needs no
login, only the personal link, so it has no permission function: the token is the permission.

Members of the network (people of its member organisations) may *view* the results of its
meeting evaluations: the aggregates (n, response rate, mean, distribution) and the quotes the
coordinators picked, never single answers, and no figure from fewer than
``MEMBERS_MIN_ANSWERS`` answers (so nobody's answer can be read off a result of one or two).
``results_policy``'s "view" action is that rule; "change" is the coordinators'.

The scoping rules live in the policies below (``evaluation_policy`` for meeting evaluations,
``survey_policy`` for member surveys, ``answer_policy`` and ``quote_policy``): every view looks
its objects up through them, so an id of another network is simply not found.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from navet.core.policies import Policy
from navet.evaluations.models import Answer, Questionnaire, Quote
from navet.meetings.models import Meeting
from navet.networks.models import Membership, Network
from navet.networks.permissions import (
    can_manage_network,
    is_member,
    is_platform_admin,
    person_of,
)
from navet.networks.selectors import active_on

# Below this many answers members see that there were answers, not what they said.
MEMBERS_MIN_ANSWERS = 3


def can_manage_evaluations(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_view_results(user: Any, questionnaire: Questionnaire) -> bool:
    """Coordinators see everything; members of the network see a meeting evaluation's
    aggregates and chosen quotes (see the module docstring)."""
    if can_manage_network(user, questionnaire.network):
        return True
    return questionnaire.kind == Questionnaire.Kind.EVALUATION and is_member(
        user, questionnaire.network
    )


def _managed_networks(user: Any, network: Network | None) -> QuerySet[Network] | None:
    """The networks whose evaluations the user manages (None: every network)."""
    networks = Network.objects.all() if network is None else Network.objects.filter(pk=network.pk)
    if is_platform_admin(user):
        return None if network is None else networks
    person = person_of(user)
    if person is None:
        return networks.none()
    return networks.filter(coordinators=person)


class _CoordinatorsOnly(Policy[Any]):
    """Viewing and changing are the same right: the network's coordinators and platform
    admins. Subclasses say which instances and how they reach their network."""

    network_field = "network"

    def base(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Any]:
        self._check_action(action)
        networks = _managed_networks(user, network)
        if networks is None:
            return self.base()
        return self.base().filter(**{f"{self.network_field}__in": networks})


class EvaluationPolicy(_CoordinatorsOnly):
    """Meeting evaluations (not templates, not surveys)."""

    model = Questionnaire

    def base(self) -> QuerySet[Questionnaire]:
        return Questionnaire.objects.filter(kind=Questionnaire.Kind.EVALUATION)


class SurveyPolicy(_CoordinatorsOnly):
    model = Questionnaire

    def base(self) -> QuerySet[Questionnaire]:
        return Questionnaire.objects.filter(kind=Questionnaire.Kind.SURVEY)


class ResultsPolicy(_CoordinatorsOnly):
    """Evaluations and surveys together (the results page shows either). "change": the
    coordinators'; "view": also the meeting evaluations of the networks the user's
    organisation is a member of today (aggregates and chosen quotes only: the view decides
    what a non-coordinator sees)."""

    model = Questionnaire

    def base(self) -> QuerySet[Questionnaire]:
        return Questionnaire.objects.exclude(kind=Questionnaire.Kind.TEMPLATE)

    def instances_user_has_permission_for(
        self, user: Any, action: str, *, network: Network | None = None
    ) -> QuerySet[Any]:
        managed = super().instances_user_has_permission_for(user, action, network=network)
        person = person_of(user)
        if action != "view" or person is None or not getattr(user, "is_active", False):
            return managed
        member_networks = (
            Membership.objects.filter(active_on(timezone.localdate()))
            .filter(Q(organisation_id=person.organisation_id) | Q(via_id=person.organisation_id))
            .values("network_id")
        )
        as_member = self.base().filter(
            kind=Questionnaire.Kind.EVALUATION, network_id__in=member_networks
        )
        if network is not None:
            as_member = as_member.filter(network=network)
        return managed | as_member

    def user_has_permission_for_instance(
        self, user: Any, action: str, obj: Any, *, network: Network | None = None
    ) -> bool:
        self._check_action(action)
        if action == "view":
            return can_view_results(user, obj)
        return can_manage_network(user, obj.network)


class AnswerPolicy(_CoordinatorsOnly):
    model = Answer
    network_field = "response__questionnaire__network"


class QuotePolicy(_CoordinatorsOnly):
    model = Quote


class EvaluatedMeetingPolicy(_CoordinatorsOnly):
    """Meetings whose evaluation the user may open or enter figures for."""

    model = Meeting


evaluation_policy = EvaluationPolicy()
survey_policy = SurveyPolicy()
results_policy = ResultsPolicy()
answer_policy = AnswerPolicy()
quote_policy = QuotePolicy()
evaluated_meeting_policy = EvaluatedMeetingPolicy()
