"""Thin views: look up, ask permissions, validate with a form, call one service or selector."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.accounts.services import invitation_send
from navet.core import bounds
from navet.core.collation import by_name
from navet.core.views import apply_errors, coordinator_only, deny, network_or_404, network_view
from navet.networks import exports, imports, permissions, selectors, services
from navet.networks.forms import (
    ContactAssignForm,
    EndDateForm,
    GroupMembershipForm,
    ImportForm,
    MembershipForm,
    PeriodFilterForm,
    PersonForm,
)
from navet.networks.models import (
    Group,
    GroupMembership,
    Membership,
    Network,
    Organisation,
    Person,
)
from navet.networks.permissions import (
    contact_assignment_policy,
    group_membership_policy,
    membership_policy,
    person_policy,
)

PEOPLE_PER_PAGE = 50


def _day_param(request: HttpRequest, name: str = "date") -> datetime.date:
    """The day a list is shown for: today, or the query string's date if it is a real one."""
    day, problem = bounds.date_param(request, name)
    if problem:
        messages.warning(request, problem)
    return day or timezone.localdate()


def home(request: HttpRequest) -> HttpResponse:
    """The public list of networks; a logged-in person gets their own start page instead."""
    if request.user.is_authenticated:
        from navet.home.views import start_page

        return start_page(request)
    return render(request, "networks/home.html", {"networks": selectors.network_list()})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_or_404(slug)
    today = timezone.localdate()
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            # The cards show no group coordinators.
            "groups": selectors.group_list(network=network).prefetch_related(None),
            "member_count": selectors.members_on(network=network, day=today).count(),
            "coordinators": network.coordinators.select_related("organisation"),
            "can_manage": permissions.can_manage_network(request.user, network),
            "can_view_people": permissions.can_view_people(request.user, network),
        },
    )


def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_or_404(slug)
    day = _day_param(request)
    all_memberships = list(selectors.membership_list(network=network))
    return render(
        request,
        "networks/member_list.html",
        {
            "network": network,
            "day": day,
            "members": [m for m in all_memberships if m.is_active_on(day)],
            "memberships": all_memberships,
            "can_manage": permissions.can_manage_network(request.user, network),
        },
    )


@coordinator_only
def member_export(request: HttpRequest, network: Network, fmt: str) -> HttpResponseBase:
    table = exports.member_table(network=network)
    return exports.table_response(table, filename=f"medlemmar-{network.slug}", fmt=fmt)


@coordinator_only
def contact_list(request: HttpRequest, network: Network) -> HttpResponseBase:
    day = _day_param(request)
    contacts = list(selectors.contacts_on(network=network, day=day))
    members = selectors.members_on(network=network, day=day)
    with_contact = {c.organisation_id for c in contacts if c.group_id is None}
    return render(
        request,
        "networks/contact_list.html",
        {
            "network": network,
            "day": day,
            "contacts": contacts,
            "without_contact": [
                m.organisation for m in members if m.organisation_id not in with_contact
            ],
        },
    )


@coordinator_only
def contact_export(request: HttpRequest, network: Network, fmt: str) -> HttpResponseBase:
    table = exports.contact_table(network=network)
    return exports.table_response(table, filename=f"kontaktpersoner-{network.slug}", fmt=fmt)


@network_view(permissions.can_view_people)
def people_directory(request: HttpRequest, network: Network) -> HttpResponseBase:
    search = request.GET.get("q", "").strip()
    people = selectors.people_directory(network=network, day=timezone.localdate(), search=search)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/people_directory.html",
        {
            "network": network,
            "search": search,
            "page": page,
            "people": page.object_list,
            "can_manage": permissions.can_manage_network(request.user, network),
        },
    )


@coordinator_only
def turnover(request: HttpRequest, network: Network) -> HttpResponseBase:
    today = timezone.localdate()
    form = PeriodFilterForm(request.GET or None)
    start, end = today.replace(year=today.year - 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return render(
        request,
        "networks/turnover.html",
        {
            "network": network,
            "form": form,
            "start": start,
            "end": end,
            "changes": selectors.contact_turnover(network=network, start=start, end=end),
        },
    )


@coordinator_only
def import_upload(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_file(
                actor=request.user,
                network=network,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except imports.ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, result.summary())
            return redirect("networks:member_list", slug=network.slug)
    return render(
        request,
        "networks/import.html",
        {"network": network, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@coordinator_only
def membership_add(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s was added as a member.")
                % {"organisation": membership.organisation},
            )
            return redirect("networks:member_list", slug=network.slug)
    return render(request, "networks/membership_form.html", {"network": network, "form": form})


@coordinator_only
def membership_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    membership = membership_policy.get_or_404(request.user, "change", network=network, pk=pk)
    initial = {
        "organisation": membership.organisation,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "via": membership.via,
        "note": membership.note,
    }
    form = MembershipForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                actor=request.user,
                membership=membership,
                start_date=data["start_date"],
                end_date=data["end_date"],
                via=data["via"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("networks:member_list", slug=network.slug)
    return render(
        request,
        "networks/membership_form.html",
        {"network": network, "form": form, "membership": membership},
    )


@coordinator_only
def membership_end(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    membership = membership_policy.get_or_404(request.user, "change", network=network, pk=pk)
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(organisation)s was ended.")
                % {"organisation": membership.organisation},
            )
            return redirect("networks:organisation_detail", pk=membership.organisation_id)
    return render(
        request,
        "networks/membership_end.html",
        {"network": network, "form": form, "membership": membership},
    )


def _contact_candidates(
    user: Any, network: Network, organisation: Organisation
) -> QuerySet[Person]:
    """The network's people who work for the organisation or for the one it takes part via."""
    via_ids = Membership.objects.filter(
        network=network, organisation=organisation, via__isnull=False
    ).values_list("via_id", flat=True)
    return person_policy.instances_user_has_permission_for(user, "assign", network=network).filter(
        organisation_id__in=[organisation.pk, *via_ids]
    )


def contact_assign(request: HttpRequest, slug: str, org_pk: int) -> HttpResponseBase:
    network = network_or_404(slug)
    # Contacts are kept only for the network's own members (past or present).
    organisation = get_object_or_404(
        Organisation.objects.filter(pk__in=network.memberships.values("organisation_id")),
        pk=org_pk,
    )
    manages_network = permissions.can_manage_network(request.user, network)
    groups = [
        g
        for g in selectors.group_list(network=network)
        if permissions.can_manage_group(request.user, g)
    ]
    if not groups and not manages_network:
        return deny(request)
    form = ContactAssignForm(
        request.POST or None,
        people=_contact_candidates(request.user, network, organisation),
        groups=Group.objects.filter(pk__in=[g.pk for g in groups]),
        initial={"group": request.GET.get("group")},
    )
    if not manages_network:
        form.fields["group"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_assign(
                actor=request.user, network=network, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contact person was saved."))
            return redirect("networks:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "networks/contact_assign.html",
        {
            "network": network,
            "organisation": organisation,
            "form": form,
            "history": contact_assignment_policy.instances_user_has_permission_for(
                request.user, "view", network=network
            )
            .filter(organisation=organisation)
            .select_related("person", "network", "group")
            .order_by(selectors.GROUP_FIRST, "-start_date"),
        },
    )


def group_detail(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    network = network_or_404(slug)
    group = get_object_or_404(Group, network=network, slug=group_slug)
    can_view = permissions.can_view_group_people(request.user, group)
    today = timezone.localdate()
    participants = list(selectors.group_participants(group=group, day=today)) if can_view else []
    return render(
        request,
        "networks/group_detail.html",
        {
            "network": network,
            "group": group,
            "coordinators": group.coordinators.select_related("organisation"),
            "can_view_people": can_view,
            "can_manage": permissions.can_manage_group(request.user, group),
            "participants": participants,
            "organisations": sorted({p.person.organisation for p in participants}, key=by_name),
        },
    )


def group_member_add(request: HttpRequest, slug: str, group_slug: str) -> HttpResponseBase:
    network = network_or_404(slug)
    group = get_object_or_404(Group, network=network, slug=group_slug)
    if not permissions.can_manage_group(request.user, group):
        return deny(request)
    people = person_policy.instances_user_has_permission_for(
        request.user, "assign", network=network
    ).order_by("last_name", "first_name")
    form = GroupMembershipForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_membership_add(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was added to the group.") % {"person": form.cleaned_data["person"]},
            )
            return redirect(group.get_absolute_url())
    return render(
        request,
        "networks/group_member_form.html",
        {"network": network, "group": group, "form": form},
    )


def group_member_end(request: HttpRequest, slug: str, group_slug: str, pk: int) -> HttpResponseBase:
    network = network_or_404(slug)
    group = get_object_or_404(Group, network=network, slug=group_slug)
    if not permissions.can_manage_group(request.user, group):
        return deny(request)
    group_membership = group_membership_policy.get_or_404(
        request.user, "change", network=network, pk=pk, group=group
    )
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_membership_end(
                actor=request.user,
                group_membership=group_membership,
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s no longer takes part in the group.")
                % {"person": group_membership.person},
            )
            return redirect(group.get_absolute_url())
    return render(
        request,
        "networks/group_member_end.html",
        {"network": network, "group": group, "form": form, "group_membership": group_membership},
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    memberships = list(selectors.memberships_of_organisation(organisation=organisation))
    networks = {m.network for m in memberships}
    managed = [n for n in networks if permissions.can_manage_network(request.user, n)]
    # Only the people who belong to a network the visitor may see (joining is consented).
    people = list(
        person_policy.instances_user_has_permission_for(request.user, "view").filter(
            organisation=organisation
        )
    )
    seen_networks = permissions.networks_whose_people_user_sees(request.user)
    return render(
        request,
        "networks/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "managed_network_ids": {n.pk for n in managed},
            "managed_network": managed[0] if managed else None,
            "can_view_people": bool(people),
            "people": people,
            "contacts": selectors.contact_history(organisation=organisation).filter(
                network__in=seen_networks
            ),
            "group_memberships": (
                GroupMembership.objects.filter(person__in=people, group__network__in=seen_networks)
                .select_related("group", "group__network", "person")
                .order_by("group__network__name", "group__name", "-start_date")
            ),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return deny(request)
    person = person_policy.get_or_404(request.user, "view", pk=pk)
    # What the person does in networks the visitor cannot see stays hidden.
    seen_networks = permissions.networks_whose_people_user_sees(request.user)
    managed = [
        n
        for n in selectors.networks_of_person(person=person)
        if permissions.can_manage_network(request.user, n)
    ]
    return render(
        request,
        "networks/person_detail.html",
        {
            "person": person,
            "managing_network": managed[0] if managed else None,
            "group_memberships": person.group_memberships.filter(
                group__network__in=seen_networks
            ).select_related("group", "group__network"),
            "contacts": person.contact_assignments.filter(network__in=seen_networks).select_related(
                "organisation", "network", "group"
            ),
        },
    )


@coordinator_only
def person_add(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = PersonForm(
        request.POST or None,
        organisations=permissions.organisations_for_new_people(request.user, network),
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, registered_by_network=network, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(person)s was added.") % {"person": person})
            return redirect("networks:organisation_detail", pk=person.organisation_id)
    return render(request, "networks/person_form.html", {"network": network, "form": form})


@coordinator_only
def person_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    person = person_policy.get_or_404(request.user, "change", network=network, pk=pk)
    editable = permissions.editable_person_fields(request.user, person, network)
    form = PersonForm(
        request.POST or None,
        instance=person,
        organisations=permissions.organisations_for_new_people(request.user, network),
        editable=editable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                network=network,
                **{name: form.cleaned_data[name] for name in editable},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(person)s was saved.") % {"person": person})
            return redirect("networks:person_detail", pk=person.pk)
    return render(
        request,
        "networks/person_form.html",
        {
            "network": network,
            "form": form,
            "person": person,
            "identity_locked": not editable >= permissions.IDENTITY_FIELDS,
            "can_invite": person_policy.user_has_permission_for_instance(
                request.user, "invite", person, network=network
            ),
        },
    )


@require_POST
@coordinator_only
def person_invite(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    person = person_policy.get_or_404(request.user, "change", network=network, pk=pk)
    try:
        invitation_send(actor=request.user, person=person, network=network, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": person.email}
        )
    return redirect("networks:person_detail", pk=person.pk)
