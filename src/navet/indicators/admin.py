from django.contrib import admin
from django.db.models import URLField

from navet.indicators import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "source", "dimension", "direction", "is_demo"]
    list_filter = ["source", "dimension", "is_demo"]
    search_fields = ["code", "title", "keyword"]
    filter_horizontal = ["goals", "targets"]


class IndicatorSetEntryInline(admin.TabularInline):
    model = models.IndicatorSetEntry
    autocomplete_fields = ["indicator"]
    extra = 0


@admin.register(models.IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network"]
    inlines = [IndicatorSetEntryInline]


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["organisation", "indicator", "target_year", "target_value"]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["organisation"]


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "status", "added", "changed", "unchanged", "missing"]
    list_filter = ["kind", "status"]


@admin.register(models.MunicipalityGroup)
class MunicipalityGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "kolada_id"]
    filter_horizontal = ["members"]


admin.site.register(models.SdgGoal)
