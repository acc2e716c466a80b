"""Authorisation expectations for the network core's URLs (see tests/authz.py)."""

from typing import Any

from tests.authz import GROUP_MANAGERS, MANAGERS, PEOPLE_VIEWERS, Expectation, everyone, only

# "other_coordinator" coordinates a different network, so it is refused wherever a
# coordinator of *this* network is needed.
EXPECTED: dict[str, tuple[str, Expectation]] = {
    "networks:home": ("get", everyone(200)),
    "networks:network_detail": ("get", everyone(200)),
    "networks:member_list": ("get", everyone(200)),
    "networks:organisation_detail": ("get", everyone(200)),
    "networks:group_detail": ("get", everyone(200)),
    # A person the visitor may not see is "not found": ids reveal nothing.
    "networks:person_detail": ("get", only(PEOPLE_VIEWERS, refused=404)),
    "networks:people_directory": ("get", only(PEOPLE_VIEWERS)),
    "networks:member_export": ("get", only(MANAGERS)),
    "networks:contact_list": ("get", only(MANAGERS)),
    "networks:contact_export": ("get", only(MANAGERS)),
    "networks:turnover": ("get", only(MANAGERS)),
    "networks:import_upload": ("get", only(MANAGERS)),
    "networks:membership_add": ("get", only(MANAGERS)),
    "networks:membership_edit": ("get", only(MANAGERS)),
    "networks:membership_end": ("get", only(MANAGERS)),
    "networks:person_add": ("get", only(MANAGERS)),
    "networks:person_edit": ("get", only(MANAGERS)),
    "networks:person_invite": ("post", only(MANAGERS, status=302)),
    "networks:contact_assign": ("get", only(GROUP_MANAGERS)),
    "networks:group_member_add": ("get", only(GROUP_MANAGERS)),
    "networks:group_member_end": ("get", only(GROUP_MANAGERS)),
    "networks:picker_organisations": ("get", only(MANAGERS)),
    "networks:picker_people": ("get", only(GROUP_MANAGERS)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    return {}


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    network, group, person = objects["network"], objects["group"], objects["member_person"]
    by_name: dict[str, dict[str, Any]] = {
        "networks:home": {},
        "networks:organisation_detail": {"pk": person.organisation_id},
        "networks:person_detail": {"pk": person.pk},
        "networks:member_export": {"slug": network.slug, "fmt": "xlsx"},
        "networks:contact_export": {"slug": network.slug, "fmt": "csv"},
        "networks:membership_edit": {"slug": network.slug, "pk": objects["membership"].pk},
        "networks:membership_end": {"slug": network.slug, "pk": objects["membership"].pk},
        "networks:person_edit": {"slug": network.slug, "pk": person.pk},
        "networks:person_invite": {"slug": network.slug, "pk": person.pk},
        "networks:contact_assign": {"slug": network.slug, "org_pk": person.organisation_id},
        "networks:group_detail": {"slug": network.slug, "group_slug": group.slug},
        "networks:group_member_add": {"slug": network.slug, "group_slug": group.slug},
        "networks:group_member_end": {
            "slug": network.slug,
            "group_slug": group.slug,
            "pk": objects["guest"].pk,
        },
    }
    if name in by_name:
        return by_name[name]
    if name.startswith("networks:"):
        return {"slug": network.slug}
    return None
