"""The admin shows fees for platform admins; stored lines and the history are read-only (they
are written by the services: publishing, re-opening and changing a scheme)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from navet.fees import services
from navet.fees.models import FeeIndex, FeeLine, FeeScheme, FeeSchemeChange, Population


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FeeLineInline(_ReadOnlyInline):
    model = FeeLine
    fk_name = "scheme"


class FeeSchemeChangeInline(_ReadOnlyInline):
    model = FeeSchemeChange


@admin.register(FeeScheme)
class FeeSchemeAdmin(admin.ModelAdmin):
    list_display = ["network", "year", "base_year", "rate", "floor", "ceiling", "published_at"]
    list_filter = ["network", "year"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [FeeSchemeChangeInline, FeeLineInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A published year is frozen here too: it is re-opened on the fee page, with a reason.
        if obj is not None and obj.is_published:
            return [f.name for f in FeeScheme._meta.fields]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: FeeScheme, form: Any, change: bool) -> None:
        """Through the services, so the change is kept with who, when, before and after."""
        values = {name: getattr(obj, name) for name in services.SCHEME_FIELDS}
        if change:
            values.pop("year")
            saved = services.fee_scheme_update(actor=request.user, scheme=obj, **values)
        else:
            saved = services.fee_scheme_create(actor=request.user, network=obj.network, **values)
        obj.pk = saved.pk


@admin.register(FeeIndex)
class FeeIndexAdmin(admin.ModelAdmin):
    list_display = ["network", "year", "percent"]
    list_filter = ["network"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "inhabitants", "source"]
    list_filter = ["source", "year"]
    search_fields = ["organisation__name", "organisation__scb_code"]
    list_select_related = ["organisation"]
