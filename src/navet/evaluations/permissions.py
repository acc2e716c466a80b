"""Who may do what with evaluations and surveys.

Evaluations and the member survey are the network coordinators' tools (and the platform
admin's): they open, close, read results and pick quotes. Answering needs no login, only the
personal link, so it has no permission function: the token is the permission.

The scoping rules live in the policies below (``evaluation_policy`` for meeting evaluations,
``survey_policy`` for member surveys, ``answer_policy`` and ``quote_policy``): every view looks
its objects up through them, so an id of another network is simply not found.
"""

from typing import Any

from django.db.models import QuerySet

from navet.core.policies import Policy
from navet.evaluations.models import Answer, Questionnaire, Quote
from navet.meetings.models import Meeting
from navet.networks.models import Network
from navet.networks.permissions import can_manage_network, is_platform_admin, person_of


def can_manage_evaluations(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


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
    """Evaluations and surveys together (the results page shows either)."""

    model = Questionnaire

    def base(self) -> QuerySet[Questionnaire]:
        return Questionnaire.objects.exclude(kind=Questionnaire.Kind.TEMPLATE)


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
