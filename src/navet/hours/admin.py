from django.contrib import admin

from navet.hours.models import Allocation, LoggedHours


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "role",
        "network",
        "group",
        "hours_per_month",
        "start_date",
        "end_date",
    ]
    list_filter = ["network", "role"]
    raw_id_fields = ["person", "group"]


@admin.register(LoggedHours)
class LoggedHoursAdmin(admin.ModelAdmin):
    list_display = ["allocation", "month", "hours", "organisation", "activity"]
    list_filter = ["network"]
    raw_id_fields = ["allocation", "organisation", "meeting", "logged_by"]
