"""Factories for meetings. Defaults: a planned physical meeting in 30 days, 09:00–16:00."""

import datetime

import factory
from django.utils import timezone

from navet.meetings.models import Meeting, Registration
from tests.factories import NetworkFactory, PersonFactory


def at(days: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware Stockholm datetime ``days`` from today at ``hour``:``minute``."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Nätverksträff {n}")
    starts_at = factory.LazyFunction(lambda: at(30, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at.replace(hour=16))
    location = "Borås stadshus"
    format = Meeting.Format.PHYSICAL

    @factory.post_generation
    def groups(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    status = Registration.Status.REGISTERED
