"""Data for the peer benchmark (bench/peer.sh): the demo, plus 200 meetings in the demo
network shaped like the ones the peer's script (shared/perf/indico/mkdata.py) makes, one every
third day from 10 January 2022, three hours each, in Borås. Prints the paths to measure."""

import datetime
import io
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402

from navet.accounts.models import User  # noqa: E402
from navet.demo.loader import KOMMUNNATVERKET_SLUG  # noqa: E402
from navet.meetings.services import MeetingInput, meeting_create  # noqa: E402
from navet.networks.models import Network, Organisation  # noqa: E402

MEETINGS = 200
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())  # its logins would mix with the paths
    network = Network.objects.get(slug=KOMMUNNATVERKET_SLUG)
    actor = User.objects.filter(is_superuser=True).first()
    start = datetime.datetime(2022, 1, 10, 9, 0, tzinfo=STOCKHOLM)
    first = None
    for i in range(MEETINGS):
        starts_at = start + datetime.timedelta(days=3 * i)
        data = MeetingInput(
            title=f"Nätverksträff {i}: Hållbarhetsverktyg och kommunala energiplaner",
            description="Digitalt nätverksmöte med föreläsare från Länsstyrelsen och kommuner. "
            * 5,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            location="Borås",
        )
        meeting = meeting_create(actor=actor, network=network, data=data)
        first = first or meeting
    assert first is not None
    boras = Organisation.objects.get(scb_code="1490")
    print(reverse("meetings:meeting_list", args=[network.slug]))
    print(reverse("meetings:meeting_detail", args=[network.slug, first.pk]))
    print(reverse("indicators:organisation_indicators", args=[boras.pk]))


if __name__ == "__main__":
    main()
