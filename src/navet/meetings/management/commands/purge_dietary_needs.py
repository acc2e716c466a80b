"""Delete dietary needs of meetings that ended more than 30 days ago. Run daily; idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from navet.meetings.services import purge_dietary_needs


class Command(BaseCommand):
    help = "Blank the dietary needs of registrations for meetings that ended over 30 days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_dietary_needs()
        self.stdout.write(f"Dietary needs deleted from {count} registration(s).")
