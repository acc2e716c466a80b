"""Remove for good the documents deleted more than 30 days ago, with their stored files. Run
daily; idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from navet.documents.services import purge_deleted


class Command(BaseCommand):
    help = "Remove documents deleted more than 30 days ago, and their stored files."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_deleted()
        self.stdout.write(f"{count} deleted document(s) removed for good.")
