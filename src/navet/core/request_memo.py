"""Answers remembered for the length of one request, such as "does this person coordinate
this network?", which a page's view, its template tags and its base template each ask.

``RequestMemoMiddleware`` opens a memo for each request; ``remembered(key, compute)`` gives
the answer computed first for ``key`` in this request. Outside a request (services, tasks,
tests calling a function directly) nothing is remembered, so a change made there is always
seen. Within a request a write that changes an answer is followed by a redirect, so the
next request asks again.
"""

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar(
    "navet_request_memo", default=None
)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@contextlib.contextmanager
def memo_opened() -> Iterator[None]:
    """Remember answers until the block ends, as within one request."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with memo_opened():
            return self.get_response(request)
