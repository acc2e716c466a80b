from typing import Any

from django import template

from navet.indicators import permissions

register = template.Library()


@register.filter
def may_import(user: Any) -> bool:
    """``{% if request.user|may_import %}``: show the import links to those who may use them."""
    return permissions.can_import(user)
