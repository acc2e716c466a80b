from django.contrib import admin
from django.db import models

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


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["token", "created_by", "created_at"]
    autocomplete_fields = ["person"]
