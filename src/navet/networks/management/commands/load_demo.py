"""``manage.py load_demo``: load the demo networks, people and logins (see navet.demo.loader)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from navet.demo.loader import DEMO_LOGINS, DEMO_PASSWORD, DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Load demo data: Kommunnätverket för hållbar utveckling and Uthållig kommun, with "
        "fictional people and demo logins. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_demo()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data were already loaded; nothing changed.")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _role in DEMO_LOGINS)
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<{width}}  {role}")
