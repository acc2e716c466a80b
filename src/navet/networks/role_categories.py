"""The role categories Navet ships with: the officials the seeds name (miljöstrateg,
upphandlare, GIS …). The data migration loads them; an admin adds more in the Django admin.

The first eight codes are those ``Person.RoleCategory`` has always had: imports, the target
editors' rule (``indicators.permissions.STRATEGIC_ROLES``) and existing people use them, so
they never change. ``ensure_role_categories`` adds any that are missing (a test database
emptied by a transactional test, say) and leaves the admin's own rows and names alone.
"""

from typing import Any

# (code, Swedish name, English name), in the order forms offer them.
ROLE_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("miljostrateg", "Miljöstrateg", "Environmental strategist"),
    ("hallbarhetsstrateg", "Hållbarhetsstrateg", "Sustainability strategist"),
    ("energistrateg", "Energistrateg", "Energy strategist"),
    ("kommunekolog", "Kommunekolog", "Municipal ecologist"),
    ("energi", "Energi- och klimatrådgivare", "Energy and climate adviser"),
    ("fairtrade", "Fairtrade-samordnare", "Fairtrade coordinator"),
    ("upphandlare", "Upphandlare", "Procurement officer"),
    ("controller", "Controller/ekonom", "Controller/economist"),
    ("planerare", "Samhällsbyggnad/planerare", "Urban planner"),
    ("va", "VA (vatten och avlopp)", "Water and sewerage"),
    ("gis", "GIS", "GIS"),
    ("chef", "Chef", "Manager"),
    ("politiker", "Politiker", "Politician"),
    ("samordnare", "Nätverkssamordnare", "Network coordinator"),
    ("annan", "Annan", "Other"),
)


def ensure_role_categories(model: Any) -> int:
    """Create the shipped categories that are missing; returns how many were created."""
    existing = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=code, name_sv=name_sv, name_en=name_en, order=(position + 1) * 10)
        for position, (code, name_sv, name_en) in enumerate(ROLE_CATEGORIES)
        if code not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)


def role_category_lookup() -> dict[str, str]:
    """Casefolded code, Swedish name or English name → code, for imports ("Miljöstrateg",
    "miljostrateg" and "environmental strategist" all give ``miljostrateg``)."""
    from django.utils import translation

    from navet.networks.models import Person, RoleCategory

    lookup: dict[str, str] = {}
    for language in ("en", "sv"):
        with translation.override(language):
            lookup.update(
                {str(label).casefold(): code for code, label in Person.RoleCategory.choices}
            )
    for code, name_sv, name_en in RoleCategory.objects.values_list("code", "name_sv", "name_en"):
        lookup.update({name_en.casefold(): code, name_sv.casefold(): code})
    lookup.update({code: code for code in set(lookup.values())})
    return lookup
