"""Members of the network read a meeting evaluation's results (issue #11: they got 403):
aggregates and the quotes the coordinators chose, never single answers, and no figure from
fewer than MEMBERS_MIN_ANSWERS answers. Coordinators see everything, as before."""

import pytest
from django.urls import reverse

from navet.evaluations import services
from navet.evaluations.models import Answer
from navet.evaluations.permissions import MEMBERS_MIN_ANSWERS, results_policy
from navet.networks.models import Network
from tests.evaluations.helpers import answer_all, attend, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(network: Network, roles):
    meeting = make_meeting(network)
    attend(meeting, 5)
    evaluation = services.evaluation_open(actor=roles["admin"], meeting=meeting)
    answer_all(evaluation, [5, 4, 6], text="Hemlig åsikt från en deltagare")
    chosen = Answer.objects.filter(response__questionnaire=evaluation, question__kind="text")[0]
    chosen.text = "Bra exempel från Borås"
    chosen.save()
    services.quote_add(actor=roles["admin"], answer=chosen)
    return evaluation


def url(evaluation) -> str:
    return reverse("evaluations:results", args=[evaluation.network.slug, evaluation.pk])


def test_a_member_sees_aggregates_and_chosen_quotes_not_answers(evaluation, client_for) -> None:
    response = client_for("member").get(url(evaluation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bra exempel från Borås" in page  # the chosen quote
    assert "Hemlig åsikt" not in page  # single answers are the coordinators'
    assert "Use as a quote" not in page and "Använd som citat" not in page
    assert "5,0" in page  # the mean


def test_the_coordinator_still_sees_every_answer(evaluation, client_for) -> None:
    page = client_for("network_coordinator").get(url(evaluation)).content.decode()
    assert "Hemlig åsikt" in page


def test_too_few_answers_show_no_figures_to_members(network: Network, roles, client_for) -> None:
    meeting = make_meeting(network, title="Liten träff")
    attend(meeting, 3)
    evaluation = services.evaluation_open(actor=roles["admin"], meeting=meeting)
    answer_all(evaluation, [2] * (MEMBERS_MIN_ANSWERS - 1))
    page = client_for("member").get(url(evaluation)).content.decode()
    assert "2,0" not in page
    assert client_for("network_coordinator").get(url(evaluation)).content.decode().count("2,0")


def test_policy_view_and_change(evaluation, roles) -> None:
    network = evaluation.network
    for role, view, change in (
        ("member", True, False),
        ("partner", False, False),
        ("network_coordinator", True, True),
        ("anonymous", False, False),
    ):
        user = roles[role]
        assert results_policy.user_has_permission_for_instance(user, "view", evaluation) is view
        seen = results_policy.instances_user_has_permission_for(user, "view", network=network)
        assert (evaluation in seen) is view, role
        changed = results_policy.instances_user_has_permission_for(user, "change", network=network)
        assert (evaluation in changed) is change, role


def test_partner_and_anonymous_are_refused(evaluation, client_for) -> None:
    assert client_for("partner").get(url(evaluation)).status_code == 403
    assert client_for("anonymous").get(url(evaluation)).status_code in (302, 403)


def test_another_networks_member_gets_not_found(evaluation, other_network, client_for) -> None:
    wrong = reverse("evaluations:results", args=[other_network.slug, evaluation.pk])
    assert client_for("member").get(wrong).status_code == 404
