from typing import Any

from django.contrib import admin
from django.db import models

from navet.networks.models import (
    ContactAssignment,
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
    RoleCategory,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scb_code", "county_code"]
    list_filter = ["kind", "county_code"]
    search_fields = ["name", "scb_code"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "role_category", "email"]
    list_filter = ["role_category"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    fields = ["name", "slug", "kind"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "coordinating_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["coordinating_organisation", "coordinators"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind"]
    list_filter = ["network", "kind"]
    autocomplete_fields = ["coordinators"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "network", "start_date", "end_date", "via"]
    list_filter = ["network"]
    autocomplete_fields = ["organisation", "via"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "group", "role", "start_date", "end_date"]
    list_filter = ["group__network", "group", "role"]
    autocomplete_fields = ["person"]


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "network", "group", "person", "start_date", "end_date"]
    list_filter = ["network"]
    autocomplete_fields = ["organisation", "person"]


@admin.register(RoleCategory)
class RoleCategoryAdmin(admin.ModelAdmin):
    """Role categories are data: an admin adds the officials a network needs. The shipped
    codes are used by imports and the target editors' rule, so change their names only."""

    list_display = ["name_sv", "name_en", "code", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_sv", "name_en"]

    def get_readonly_fields(self, request: Any, obj: RoleCategory | None = None) -> Any:
        return ["code"] if obj is not None else []
