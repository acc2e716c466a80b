"""Thin views for meetings, registration, attendance and calendar feeds."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseGone,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.core import bounds
from navet.core.views import apply_errors, deny, network_or_404, network_view
from navet.meetings import calendar, permissions, selectors, services
from navet.meetings.forms import (
    AttendanceCountsForm,
    CopyForm,
    InviteForm,
    MeetingForm,
    RegistrationForm,
)
from navet.meetings.models import CalendarFeed, Meeting, Registration
from navet.meetings.permissions import calendar_feed_policy, meeting_policy
from navet.networks import selectors as network_selectors
from navet.networks.models import Network, Organisation, Person
from navet.networks.permissions import can_manage_network, person_of

PAST_MEETINGS_PER_PAGE = 50
# A cached table is found by what its rows show (selectors.MeetingTable), so a change makes a
# new one at once; the time only bounds how long one nobody asks for again stays in the cache.
MEETING_TABLE_CACHE_SECONDS = 24 * 60 * 60


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def meeting_view(action: str) -> Callable[..., Any]:
    """Look up the network and, within it, the meeting from the URL; let only those whom
    ``meeting_policy`` allows ``action`` in. A meeting of another network is not found."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, pk: int, **kwargs: Any) -> HttpResponseBase:
            network = network_or_404(slug)
            meeting = get_object_or_404(
                Meeting.objects.select_related("network"), pk=pk, network=network
            )
            if not meeting_policy.user_has_permission_for_instance(request.user, action, meeting):
                return deny(request)
            return view(request, meeting, **kwargs)

        return wrapper

    return decorator


manager_of_meeting = meeting_view("change")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Meetings -----------------------------------------------------------------------------------


def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_or_404(slug)
    groups = list(network_selectors.group_list(network=network).prefetch_related(None))
    group_slug = request.GET.get("group", "")
    group = next((g for g in groups if g.slug == group_slug), None)
    if group_slug and group is None:
        messages.warning(
            request,
            _("“%(value)s” is not a valid choice for this filter and was ignored.")
            % {"value": group_slug[:40]},
        )
    year, notice = bounds.int_param(
        request, "year", low=bounds.EARLIEST_YEAR, high=bounds.LATEST_YEAR
    )
    if notice:
        messages.warning(request, notice)
    can_create = permissions.can_create_meetings(request.user, network)
    listing = selectors.meeting_listing(
        selectors.meeting_list(
            network=network,
            group=group,
            include_cancelled=can_create,
            within=meeting_policy.instances_user_has_permission_for(
                request.user, "view", network=network
            ),
        ),
        year=year,
    )
    # Years of past meetings make a long page: the newest come first, a page at a time.
    past_page = Paginator(listing.past, PAST_MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "network": network,
            "groups": groups,
            "group": group,
            "year": year,
            "years": listing.years,
            "upcoming": selectors.MeetingTable(
                listing.upcoming, network=network, groups=groups, past=False
            ),
            "past": past_page,
            "past_table": selectors.MeetingTable(
                past_page.object_list, network=network, groups=groups, past=True
            ),
            "table_cache_seconds": MEETING_TABLE_CACHE_SECONDS,
            "can_create": can_create,
            "can_manage_feeds": permissions.can_manage_feeds(request.user, network),
        },
    )


def _meeting_form(request: HttpRequest, network: Network, **kwargs: Any) -> MeetingForm:
    people = permissions.people_to_offer(request.user, network)
    return MeetingForm(
        request.POST or None,
        groups=permissions.manageable_groups_qs(request.user, network),
        people=people.prefetch_related(None),
        groups_required=not can_manage_network(request.user, network),
        **kwargs,
    )


@network_view(permissions.can_create_meetings)
def meeting_create(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = _meeting_form(request, network)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, network=network, data=form.meeting_input()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting was created."))
            return redirect(meeting.get_absolute_url())
    return render(request, "meetings/meeting_form.html", {"network": network, "form": form})


@manager_of_meeting
def meeting_edit(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    form = _meeting_form(request, meeting.network, initial=MeetingForm.initial_for(meeting))
    if not can_manage_network(request.user, meeting.network):
        # Keep groups the group coordinator does not manage on the meeting.
        form.fields["groups"].queryset = (  # type: ignore[attr-defined]
            permissions.manageable_groups_qs(request.user, meeting.network)
            | meeting.network.groups.filter(pk__in=meeting.groups.values("pk"))
        ).distinct()
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, data=form.meeting_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"network": meeting.network, "form": form, "meeting": meeting},
    )


def _document_upload_query(user: Any, meeting: Meeting) -> str:
    """The archive's upload form with the meeting chosen; a group coordinator (who must file
    under a group) gets the meeting's group too when it has only one."""
    query: dict[str, int] = {"meeting": meeting.pk}
    groups = list(meeting.groups.all())
    if len(groups) == 1 and not can_manage_network(user, meeting.network):
        query["group"] = groups[0].pk
    return urlencode(query)


def _detail_context(
    request: HttpRequest, meeting: Meeting, form: RegistrationForm | None = None
) -> dict[str, Any]:
    user = request.user
    person = person_of(user)
    can_manage = permissions.can_manage_meeting(user, meeting)
    registration = selectors.registration_of(meeting=meeting, person=person)
    active = registration is not None and registration.status != Registration.Status.CANCELLED
    registrations = list(selectors.registrations_of(meeting=meeting)) if can_manage else []
    # Everyone sees how many took part in a held meeting; coordinators see more, always.
    participation = (
        selectors.participation(meeting)
        if can_manage or meeting.status == Meeting.Status.HELD
        else None
    )
    return {
        "network": meeting.network,
        "meeting": meeting,
        "can_manage": can_manage,
        "documents": selectors.meeting_documents(user=user, meeting=meeting),
        "document_upload_query": _document_upload_query(user, meeting) if can_manage else "",
        "can_register": permissions.can_register(user, meeting),
        "registration": registration if active else None,
        "registration_form": form or RegistrationForm(meeting=meeting),
        "closed_reason": services.registration_open_error(meeting),
        "show_link": can_manage
        or (registration is not None and registration.status == Registration.Status.REGISTERED),
        "registered": [r for r in registrations if r.status == Registration.Status.REGISTERED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        "summary": selectors.registration_summary(meeting=meeting, registrations=registrations)
        if can_manage
        else None,
        "participation": participation,
        "kind_labels": dict(Organisation.Kind.choices),
        "is_multi_day": len(meeting.days) > 1,
        # Offered only once the meeting has started (the service refuses it before).
        "can_mark_held": meeting.status == Meeting.Status.PLANNED
        and meeting.starts_at <= timezone.now(),
    }


def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    network = network_or_404(slug)
    try:
        meeting = selectors.meeting_detail(network=network, pk=pk)
    except Meeting.DoesNotExist as missing:
        raise Http404 from missing
    if not meeting_policy.user_has_permission_for_instance(request.user, "view", meeting):
        return deny(request)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@meeting_view("view")
def meeting_ics(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    content = calendar.meeting_ics(
        meeting,
        base_url=_base_url(request),
        include_link=permissions.can_see_meeting_link(request.user, meeting),
    )
    return _ics_response(content, f"meeting-{meeting.pk}.ics")


@manager_of_meeting
def meeting_copy(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.meeting_copy(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("A copy was created. Check the details and save."))
            return redirect("meetings:meeting_edit", slug=copy.network.slug, pk=copy.pk)
    return render(
        request,
        "meetings/meeting_copy.html",
        {"network": meeting.network, "meeting": meeting, "form": form},
    )


@manager_of_meeting
def meeting_cancel(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    if request.method == "POST":
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The meeting was cancelled and the registered people were told.")
            )
        return redirect(meeting.get_absolute_url())
    registered = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"network": meeting.network, "meeting": meeting, "registered_count": registered},
    )


@require_POST
@manager_of_meeting
def meeting_held(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    try:
        services.meeting_mark_held(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting was marked as held."))
    return redirect(meeting.get_absolute_url())


# Registration -------------------------------------------------------------------------------


@require_POST
@meeting_view("register")
def register(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    person = person_of(request.user)
    assert person is not None  # can_register requires a person
    form = RegistrationForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            registration = services.registration_register(
                actor=request.user,
                meeting=meeting,
                person=person,
                **form.choice(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if registration.status == Registration.Status.WAITING:
                messages.warning(
                    request,
                    _(
                        "The meeting is full, so you are on the waiting list. We will email you "
                        "if a place becomes free."
                    ),
                )
            else:
                messages.success(request, _("You are registered."))
            return redirect(meeting.get_absolute_url())
    meeting = selectors.meeting_detail(network=meeting.network, pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        _detail_context(request, meeting, form=form),
        status=400,
    )


@require_POST
@meeting_view("register")
def unregister(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    person = person_of(request.user)
    assert person is not None
    try:
        services.registration_cancel(actor=request.user, meeting=meeting, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are no longer registered."))
    return redirect(meeting.get_absolute_url())


@manager_of_meeting
def invite(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    has_groups = meeting.groups.exists()
    form = InviteForm(request.POST or None, has_groups=has_groups)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        people: list[Person]
        if form.cleaned_data["audience"] == InviteForm.GROUPS:
            people = list(
                {
                    gm.person.pk: gm.person
                    for group in meeting.groups.all()
                    for gm in network_selectors.group_participants(group=group, day=today)
                }.values()
            )
        else:
            people = list(permissions.people_to_offer(request.user, meeting.network))
        try:
            sent = services.invitations_send(
                actor=request.user, meeting=meeting, people=people, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The invitation was sent to %(count)d people.") % {"count": sent}
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/invite.html",
        {"network": meeting.network, "meeting": meeting, "form": form},
    )


# Attendance ---------------------------------------------------------------------------------


@manager_of_meeting
def attendance(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    people = selectors.attendance_people(meeting=meeting)
    days = meeting.days
    if request.method == "POST":
        present = {
            (person.pk, day)
            for person in people
            for day in days
            if request.POST.get(f"present_{person.pk}_{day:%Y%m%d}")
        }
        try:
            services.attendance_save(actor=request.user, meeting=meeting, present=present)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect(meeting.get_absolute_url())
    else:
        present = set(meeting.attendances.values_list("person_id", "day"))
    rows = [
        (
            person,
            [
                (day, f"present_{person.pk}_{day:%Y%m%d}", (person.pk, day) in present)
                for day in days
            ],
        )
        for person in people
    ]
    return render(
        request,
        "meetings/attendance.html",
        {"network": meeting.network, "meeting": meeting, "days": days, "rows": rows},
    )


@manager_of_meeting
def attendance_counts(request: HttpRequest, meeting: Meeting) -> HttpResponseBase:
    days = meeting.days
    initial = {
        AttendanceCountsForm.field_name(day, kind): count
        for (day, kind), count in selectors.attendance_counts_of(meeting=meeting).items()
    }
    form = AttendanceCountsForm(request.POST or None, days=days, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_counts_save(
                actor=request.user, meeting=meeting, counts=form.counts()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The counts were saved."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/attendance_counts.html",
        {
            "network": meeting.network,
            "meeting": meeting,
            "form": form,
            "kinds": AttendanceCountsForm.KINDS,
        },
    )


# Calendar feeds -----------------------------------------------------------------------------


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A subscribed calendar: no login, the token is the secret. Revoked tokens give 404.

    A person's feed stops (410 Gone) when their account is deactivated or removed, and holds
    only the meetings they may still take part in or manage."""
    feed = selectors.active_feed(token=token)
    if feed is None:
        raise Http404
    within = None
    if feed.person is not None:
        user = getattr(feed.person, "user", None)
        if user is None or not user.is_active:
            return HttpResponseGone(_("This calendar link no longer works."))
        within = meeting_policy.instances_user_has_permission_for(
            user, "register"
        ) | meeting_policy.instances_user_has_permission_for(user, "change")
    meetings = list(selectors.feed_meetings(feed=feed, within=within))
    with_link: set[int] = set()
    if feed.person is not None:
        with_link = selectors.registered_meeting_ids(
            person=feed.person, meeting_ids=[m.pk for m in meetings]
        )
        name = _("Navet – my meetings")
    elif feed.group is not None:
        name = f"{feed.group.network.name} – {feed.group.name}"
    else:
        name = feed.network.name if feed.network else "Navet"
    content = calendar.build_calendar(
        meetings,
        base_url=_base_url(request),
        name=name,
        include_link=lambda meeting: meeting.pk in with_link,
    )
    return _ics_response(content, "navet.ics")


def _feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meetings:calendar_feed", args=[feed.token]))


def my_calendar(request: HttpRequest) -> HttpResponseBase:
    """The "Kalender" page: a person's upcoming meetings and their own subscription link."""
    if not request.user.is_authenticated:
        return deny(request)
    person = person_of(request.user)
    if request.method == "POST":
        if person is None:
            return deny(request)
        services.feed_create(actor=request.user, person=person)
        messages.success(request, _("Your calendar link was created."))
        return redirect("meetings:my_calendar")
    feeds = list(selectors.person_feeds(person=person)) if person else []
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "person": person,
            "feeds": [(feed, _feed_url(request, feed)) for feed in feeds],
            "meetings": selectors.upcoming_for_person(person=person) if person else [],
        },
    )


@network_view(permissions.can_manage_feeds)
def network_feeds(request: HttpRequest, network: Network) -> HttpResponseBase:
    """Coordinators create and revoke subscription links for the network and its groups."""
    groups = permissions.manageable_groups(request.user, network)
    manages_network = can_manage_network(request.user, network)
    if request.method == "POST":
        subject = request.POST.get("subject", "")
        group = next((g for g in groups if subject == f"group-{g.pk}"), None)
        if subject == "network" and manages_network:
            services.feed_create(actor=request.user, network=network)
        elif group is not None:
            services.feed_create(actor=request.user, group=group)
        else:
            messages.error(request, _("Choose the network or one of your groups."))
            return redirect("meetings:network_feeds", slug=network.slug)
        messages.success(request, _("The calendar link was created."))
        return redirect("meetings:network_feeds", slug=network.slug)
    feeds = selectors.network_feeds(network=network if manages_network else None, groups=groups)
    return render(
        request,
        "meetings/network_feeds.html",
        {
            "network": network,
            "groups": groups,
            "manages_network": manages_network,
            "feeds": [(feed, _feed_url(request, feed)) for feed in feeds],
        },
    )


@require_POST
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Revoke a feed the user may change; anyone else's feed is simply not found."""
    if not request.user.is_authenticated:
        return deny(request)
    feed = calendar_feed_policy.get_or_404(request.user, "change", pk=pk)
    services.feed_revoke(actor=request.user, feed=feed)
    messages.success(request, _("The calendar link was revoked and no longer works."))
    if feed.person_id is not None:
        return redirect("meetings:my_calendar")
    network = feed.network or (feed.group.network if feed.group else None)
    assert network is not None
    return redirect("meetings:network_feeds", slug=network.slug)
