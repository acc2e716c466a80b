import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from navet.core.models import AuditEntry
from navet.meetings import services
from navet.meetings.models import Meeting, Registration
from navet.networks.models import Network
from tests.factories import PersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, at

pytestmark = pytest.mark.django_db


def register(meeting: Meeting, person=None, **kwargs):
    return services.registration_register(
        actor=None, meeting=meeting, person=person or PersonFactory(), **kwargs
    )


def test_create_meeting_with_speakers_and_audit(network: Network, group_klimat) -> None:
    meeting = services.meeting_create(
        actor=None,
        network=network,
        data=services.MeetingInput(
            title="Klimatträff",
            starts_at=at(10, 9),
            ends_at=at(11, 16),
            groups=[group_klimat],
            speakers=[services.SpeakerInput(name="Anna Berg", title="Klimatstrateg")],
        ),
    )
    assert list(meeting.groups.all()) == [group_klimat]
    assert [s.display_name for s in meeting.speakers.all()] == ["Anna Berg"]
    assert len(meeting.days) == 2
    assert AuditEntry.objects.filter(action="meeting.created").count() == 1


def test_create_rejects_end_before_start_and_saves_nothing(network: Network) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=None,
            network=network,
            data=services.MeetingInput(title="X", starts_at=at(10, 12), ends_at=at(10, 9)),
        )
    assert "ends_at" in error.value.error_dict
    assert not Meeting.objects.exists()


def test_create_rejects_group_of_other_network(network: Network, other_network: Network) -> None:
    from tests.factories import GroupFactory

    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=None,
            network=network,
            data=services.MeetingInput(
                title="X",
                starts_at=at(10),
                ends_at=at(10, 12),
                groups=[GroupFactory(network=other_network)],
            ),
        )
    assert "groups" in error.value.error_dict


def test_update_bumps_sequence_only_for_calendar_changes(network: Network) -> None:
    meeting = MeetingFactory(network=network)
    common = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
    }
    data = services.MeetingInput(**common, capacity=20)
    services.meeting_update(actor=None, meeting=meeting, data=data)
    assert meeting.sequence == 0
    data = services.MeetingInput(**{**common, "location": "Alingsås"}, capacity=20)
    services.meeting_update(actor=None, meeting=meeting, data=data)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.location == "Alingsås"


def test_copy_creates_planned_meeting_with_new_dates(network: Network, group_klimat) -> None:
    original = MeetingFactory(
        network=network, groups=[group_klimat], status=Meeting.Status.HELD, sequence=3
    )
    original.speakers.create(name="Anna Berg")
    RegistrationFactory(meeting=original)
    copy = services.meeting_copy(
        actor=None, meeting=original, starts_at=at(60, 10), ends_at=at(60, 15)
    )
    assert copy.pk != original.pk
    assert copy.status == Meeting.Status.PLANNED
    assert copy.sequence == 0
    assert copy.uid != original.uid
    assert copy.copied_from == original
    assert copy.starts_at == at(60, 10)
    assert list(copy.groups.all()) == [group_klimat]
    assert [s.name for s in copy.speakers.all()] == ["Anna Berg"]
    assert not copy.registrations.exists()


def test_cancel_bumps_sequence_and_emails_registered(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network)
    registered = RegistrationFactory(meeting=meeting).person
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 1
    assert [m.to for m in mail.outbox] == [[registered.email]]
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=None, meeting=meeting)


def test_mark_held_needs_a_started_meeting(network: Network) -> None:
    future = MeetingFactory(network=network)
    with pytest.raises(ValidationError):
        services.meeting_mark_held(actor=None, meeting=future)
    past = MeetingFactory(network=network, starts_at=at(-2, 9), ends_at=at(-2, 12))
    services.meeting_mark_held(actor=None, meeting=past)
    assert past.status == Meeting.Status.HELD


# Registration ---------------------------------------------------------------------------


def test_register_and_already_registered(network: Network) -> None:
    meeting = MeetingFactory(network=network)
    person = PersonFactory()
    registration = register(meeting, person, dietary_needs="Vegetarisk")
    assert registration.status == Registration.Status.REGISTERED
    assert registration.dietary_needs == "Vegetarisk"
    with pytest.raises(ValidationError, match="already registered"):
        register(meeting, person)


def test_register_after_deadline_is_refused(network: Network) -> None:
    meeting = MeetingFactory(network=network, registration_deadline=timezone.now())
    with pytest.raises(ValidationError, match="deadline"):
        register(meeting)
    assert not Registration.objects.exists()


def test_register_for_cancelled_meeting_is_refused(network: Network) -> None:
    meeting = MeetingFactory(network=network, status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        register(meeting)


def test_dietary_needs_only_on_site(network: Network) -> None:
    meeting = MeetingFactory(network=network, format=Meeting.Format.DIGITAL)
    with pytest.raises(ValidationError) as error:
        register(meeting, dietary_needs="Glutenfri")
    assert "dietary_needs" in error.value.error_dict
    hybrid = MeetingFactory(network=network, format=Meeting.Format.HYBRID)
    assert register(hybrid, dietary_needs="Glutenfri").dietary_needs == "Glutenfri"


def test_full_meeting_puts_people_on_waiting_list(network: Network) -> None:
    meeting = MeetingFactory(network=network, capacity=1)
    assert register(meeting).status == Registration.Status.REGISTERED
    waiting_person = PersonFactory()
    assert register(meeting, waiting_person).status == Registration.Status.WAITING
    with pytest.raises(ValidationError, match="waiting list"):
        register(meeting, waiting_person)


def test_cancellation_promotes_first_waiting_and_emails_them(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    meeting = MeetingFactory(network=network, capacity=1)
    first = PersonFactory()
    register(meeting, first)
    second, third = PersonFactory(), PersonFactory()
    register(meeting, second)
    register(meeting, third)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=None, meeting=meeting, person=first)
    statuses = dict(meeting.registrations.values_list("person_id", "status"))
    assert statuses == {
        first.pk: Registration.Status.CANCELLED,
        second.pk: Registration.Status.REGISTERED,
        third.pk: Registration.Status.WAITING,
    }
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_register_again_after_cancelling_reuses_the_row(network: Network) -> None:
    meeting = MeetingFactory(network=network)
    person = PersonFactory()
    register(meeting, person)
    services.registration_cancel(actor=None, meeting=meeting, person=person)
    assert register(meeting, person).status == Registration.Status.REGISTERED
    assert meeting.registrations.count() == 1


def test_unregister_after_deadline_is_refused(network: Network) -> None:
    meeting = MeetingFactory(network=network, registration_deadline=timezone.now())
    registration = RegistrationFactory(meeting=meeting)
    with pytest.raises(ValidationError, match="deadline"):
        services.registration_cancel(actor=None, meeting=meeting, person=registration.person)


def test_raising_capacity_promotes_waiting(network: Network) -> None:
    meeting = MeetingFactory(network=network, capacity=1)
    register(meeting)
    waiting = register(meeting)
    data = services.MeetingInput(
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location,
        capacity=2,
    )
    services.meeting_update(actor=None, meeting=meeting, data=data)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED


# Dietary needs ----------------------------------------------------------------------------


def test_purge_dietary_needs_after_30_days_is_idempotent(network: Network) -> None:
    old = MeetingFactory(network=network, starts_at=at(-40, 9), ends_at=at(-40, 16))
    recent = MeetingFactory(network=network, starts_at=at(-10, 9), ends_at=at(-10, 16))
    old_registration = RegistrationFactory(meeting=old, dietary_needs="Vegan")
    recent_registration = RegistrationFactory(meeting=recent, dietary_needs="Vegan")
    assert services.purge_dietary_needs() == 1
    assert services.purge_dietary_needs() == 0
    old_registration.refresh_from_db()
    recent_registration.refresh_from_db()
    assert old_registration.dietary_needs == ""
    assert recent_registration.dietary_needs == "Vegan"


def test_purge_command_reports_count(network: Network, capsys) -> None:
    old = MeetingFactory(network=network, starts_at=at(-40, 9), ends_at=at(-40, 16))
    RegistrationFactory(meeting=old, dietary_needs="Laktosfri")
    call_command("purge_dietary_needs")
    assert "1" in capsys.readouterr().out
    call_command("purge_dietary_needs")
    assert "0" in capsys.readouterr().out


# Attendance -------------------------------------------------------------------------------


def test_attendance_only_for_registered_people_and_meeting_days(network: Network) -> None:
    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-2, 16))
    person = RegistrationFactory(meeting=meeting).person
    day1, day2 = meeting.days
    assert (
        services.attendance_save(
            actor=None, meeting=meeting, present={(person.pk, day1), (person.pk, day2)}
        )
        == 2
    )
    with pytest.raises(ValidationError):
        services.attendance_save(actor=None, meeting=meeting, present={(PersonFactory().pk, day1)})
    with pytest.raises(ValidationError):
        services.attendance_save(
            actor=None, meeting=meeting, present={(person.pk, day1 - datetime.timedelta(days=5))}
        )
    assert meeting.attendances.count() == 2


def test_attendance_counts_replace_and_skip_empty(network: Network) -> None:
    meeting = MeetingFactory(network=network, starts_at=at(-3, 9), ends_at=at(-3, 16))
    (day,) = meeting.days
    services.attendance_counts_save(
        actor=None, meeting=meeting, counts={(day, "municipality"): 12, (day, "region"): None}
    )
    services.attendance_counts_save(
        actor=None, meeting=meeting, counts={(day, "municipality"): 14, (day, ""): 0}
    )
    assert list(meeting.attendance_counts.values_list("organisation_kind", "count")) == [
        ("municipality", 14)
    ]


def test_feed_create_and_revoke(network: Network) -> None:
    feed = services.feed_create(actor=None, network=network)
    services.feed_revoke(actor=None, feed=feed)
    assert feed.revoked_at is not None
    with pytest.raises(ValidationError):
        services.feed_create(actor=None)
