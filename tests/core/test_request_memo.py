"""Role checks are answered once a request, and never remembered outside one."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from navet.core.request_memo import RequestMemoMiddleware, remembered
from navet.networks.models import Network
from navet.networks.permissions import can_manage_network

pytestmark = pytest.mark.django_db


def test_outside_a_request_every_call_asks_again(
    network: Network, roles, django_assert_num_queries
) -> None:
    coordinator = roles["network_coordinator"]
    with django_assert_num_queries(2):
        assert can_manage_network(coordinator, network)
        assert can_manage_network(coordinator, network)
    network.coordinators.clear()
    assert not can_manage_network(coordinator, network)


def test_within_a_request_the_answer_is_asked_once_and_forgotten_after(
    network: Network, roles, django_assert_num_queries
) -> None:
    coordinator, member = roles["network_coordinator"], roles["member"]
    answers: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        answers.extend(can_manage_network(coordinator, network) for _ in range(3))
        answers.append(can_manage_network(member, network))  # another person: asked apart
        return HttpResponse()

    middleware = RequestMemoMiddleware(view)
    with django_assert_num_queries(2):
        middleware(RequestFactory().get("/"))
    assert answers == [True, True, True, False]
    network.coordinators.clear()
    answers.clear()
    middleware(RequestFactory().get("/"))
    assert answers == [False, False, False, False]


def test_remembered_computes_each_time_without_a_request() -> None:
    calls: list[int] = []
    assert remembered("key", lambda: calls.append(1) or len(calls)) == 1
    assert remembered("key", lambda: calls.append(1) or len(calls)) == 2
