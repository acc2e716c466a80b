"""Building blocks for the authorisation matrix (tests/test_authorisation_matrix.py).

Each app's tests package has an ``authz.py`` with:

* ``EXPECTED``: URL name → (HTTP method, expected status per role); ``LOGIN`` means a redirect
  to the login page;
* ``build_objects(base)``: the objects its URLs need, added to ``base`` (which holds
  ``network``, ``group``, ``member_person``, ``membership``, ``guest`` and ``roles``);
* ``url_kwargs(name, objects)``: the URL arguments for one of its names, or None if it has none.

The roles are those of tests/conftest.py.
"""

from tests.conftest import ROLES

LOGIN = "login"
ROLES_LOGGED_IN = [r for r in ROLES if r != "anonymous"]
Expectation = dict[str, int | str]

MANAGERS = ["admin", "network_coordinator"]
PEOPLE_VIEWERS = [*MANAGERS, "group_coordinator", "member"]
GROUP_MANAGERS = [*MANAGERS, "group_coordinator"]


def everyone(status: int | str) -> Expectation:
    return dict.fromkeys(ROLES, status)


def only(allowed: list[str], status: int | str = 200, refused: int = 403) -> Expectation:
    """``allowed`` roles get ``status``; other logged-in roles ``refused`` (403, or 404 where
    the object is looked up among those the user may see); anonymous is sent to log in."""
    expected: Expectation = dict.fromkeys(ROLES_LOGGED_IN, refused)
    expected.update(dict.fromkeys(allowed, status))
    expected["anonymous"] = LOGIN
    return expected


LOGGED_IN_ONLY: Expectation = {**everyone(200), "anonymous": LOGIN}
