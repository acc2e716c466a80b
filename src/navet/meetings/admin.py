from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from navet.meetings import services
from navet.meetings.models import (
    AttendanceCount,
    CalendarFeed,
    Meeting,
    Registration,
    Speaker,
)


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    autocomplete_fields = ["person"]


class AttendanceCountInline(admin.TabularInline):
    model = AttendanceCount
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "starts_at", "format", "status"]
    list_filter = ["network", "status", "format"]
    search_fields = ["title", "theme"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["groups"]
    readonly_fields = ["uid", "sequence", "copied_from"]
    inlines = [SpeakerInline, AttendanceCountInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "registered_at"]
    list_filter = ["status"]
    search_fields = ["person__first_name", "person__last_name", "meeting__title"]
    autocomplete_fields = ["person", "meeting"]

    # Lists of meetings show the number registered: their cached rows must be made again.
    def save_model(self, request: HttpRequest, obj: Registration, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.meetings_changed([obj.meeting_id])

    def delete_model(self, request: HttpRequest, obj: Registration) -> None:
        super().delete_model(request, obj)
        services.meetings_changed([obj.meeting_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        meeting_ids = list(queryset.values_list("meeting_id", flat=True))
        super().delete_queryset(request, queryset)
        services.meetings_changed(meeting_ids)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["token", "created_by", "created_at"]
    autocomplete_fields = ["person"]
