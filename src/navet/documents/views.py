"""Thin views for the document archive: the list, a document's page, upload, edit, versions,
delete and undo, and the download.

Every document is looked up through ``document_policy`` within the URL's network, so the id
of another network's document (or one the reader may not see) is "not found". A visitor who
is not logged in is sent to log in instead, for any id, so nothing is revealed either way.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from navet.core.views import apply_errors, deny, network_view
from navet.documents import selectors, services
from navet.documents.downloads import file_response
from navet.documents.forms import (
    ArchiveFilterForm,
    DocumentEditForm,
    DocumentUploadForm,
    VersionForm,
)
from navet.documents.models import Document, DocumentVersion
from navet.documents.permissions import (
    can_file_documents,
    document_policy,
    groups_to_file_under,
    meetings_to_file_under,
    must_choose_group,
)
from navet.networks.models import Network
from navet.networks.selectors import group_list

DOCUMENTS_PER_PAGE = 25
HTTP_SCHEMES = ("http://", "https://")


def _anyone(user: Any, network: Network) -> bool:
    return True


# Public documents are for everyone; the policy decides which documents each person sees.
open_to_all = network_view(_anyone)
filers_only = network_view(can_file_documents)


class _LogIn(Exception):
    """Raised for a visitor who is not logged in and asked for a document they cannot see."""


def _document(request: HttpRequest, network: Network, pk: int, action: str) -> Document:
    """The document ``pk`` of ``network`` if the user may ``action`` it; otherwise 404 (or,
    for a visitor who is not logged in, the log-in page: raised as ``_LogIn``)."""
    try:
        return document_policy.get_or_404(request.user, action, network=network, pk=pk)
    except Http404:
        if not request.user.is_authenticated:
            raise _LogIn from None
        raise


def _or_log_in(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except _LogIn:
            return deny(request)

    return wrapper


def _version(document: Document, number: int) -> DocumentVersion:
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def _filing_choices(
    request: HttpRequest, network: Network, document: Document | None = None
) -> dict[str, Any]:
    return {
        "groups": groups_to_file_under(request.user, network, document=document),
        "meetings": meetings_to_file_under(request.user, network, document=document),
        "group_required": must_choose_group(request.user, network),
    }


# The archive -------------------------------------------------------------------------------


@open_to_all
def archive(request: HttpRequest, network: Network) -> HttpResponseBase:
    form = ArchiveFilterForm(
        request.GET or None,
        groups=group_list(network=network),
        meetings=selectors.archive_meetings(request.user, network),
        years=selectors.archive_years(request.user, network),
    )
    filters = selectors.ArchiveFilters()
    if form.is_bound:
        if not form.is_valid():
            messages.warning(
                request, _("A filter had a value that is not one of its choices and was ignored.")
            )
        data = {name: value for name, value in form.cleaned_data.items() if name in form.fields}
        filters = selectors.ArchiveFilters(
            group=data.get("group"),
            meeting=data.get("meeting"),
            category=data.get("category") or "",
            year=data.get("year"),
            tag=data.get("tag") or "",
            text=data.get("q") or "",
        )
    documents = selectors.archive(request.user, network, filters)
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    can_file = can_file_documents(request.user, network)
    return render(
        request,
        "documents/archive.html",
        {
            "network": network,
            "form": form,
            "filters": filters,
            "page": page,
            "tags": selectors.archive_tags(request.user, network, limit=20),
            "can_file": can_file,
            "deleted_count": (
                selectors.recently_deleted(request.user, network).count() if can_file else 0
            ),
        },
    )


@_or_log_in
@open_to_all
def document_detail(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    document = _document(request, network, pk, "view")
    can_change = document_policy.user_has_permission_for_instance(
        request.user, "change", document, network=network
    )
    versions = list(selectors.versions(document))
    return render(
        request,
        "documents/document_detail.html",
        {
            "network": network,
            "document": document,
            "versions": versions,
            "newest": versions[0] if versions else None,
            "can_change": can_change,
            "goals": document.goals.order_by("number"),
            "download_total": selectors.download_total(document),
            "downloads": selectors.document_downloads(document) if can_change else [],
        },
    )


@_or_log_in
@open_to_all
def document_file(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    """The newest version's file (or, for a link, a page that shows where it leads), counted
    for the reader's organisation."""
    document = _document(request, network, pk, "view")
    if document.is_link:
        services.count_download(document=document, user=request.user)
        return render(
            request,
            "documents/link.html",
            {
                "network": network,
                "document": document,
                "is_web_link": document.url.lower().startswith(HTTP_SCHEMES),
            },
        )
    version = selectors.newest_version(document)
    if version is None:
        raise Http404
    services.count_download(document=document, user=request.user)
    return file_response(request, version)


@filers_only
def version_file(request: HttpRequest, network: Network, pk: int, number: int) -> HttpResponseBase:
    """An older version's file: for those who may change the document (to compare, before
    restoring it). Everyone else gets the newest through ``document_file``."""
    document = _document(request, network, pk, "change")
    version = _version(document, number)
    return file_response(request, version)


# Upload and edit ---------------------------------------------------------------------------


@filers_only
def document_upload(request: HttpRequest, network: Network) -> HttpResponseBase:
    choices = _filing_choices(request, network)
    initial: dict[str, Any] = {}
    for name in ("group", "meeting"):
        wanted = request.GET.get(name, "")
        if wanted.isascii() and wanted.isdigit():
            initial[name] = choices[f"{name}s"].filter(pk=int(wanted)).first()
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, initial=initial, **choices
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                actor=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document was added to the archive."))
            return redirect("documents:detail", slug=network.slug, pk=document.pk)
    return render(
        request,
        "documents/document_form.html",
        {"network": network, "form": form, "document": None},
    )


@filers_only
def document_edit(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    document = _document(request, network, pk, "change")
    choices = _filing_choices(request, network, document)
    initial = {
        "title": document.title,
        "description": document.description,
        "category": document.category,
        "group": document.group,
        "meeting": document.meeting,
        "visibility": document.visibility,
        "tags": ", ".join(document.tags),
        "year": document.year,
        "goals": list(document.goals.all()),
        "url": document.url,
    }
    form = DocumentEditForm(
        request.POST or None, initial=initial, is_link=document.is_link, **choices
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("documents:detail", slug=network.slug, pk=document.pk)
    return render(
        request,
        "documents/document_form.html",
        {"network": network, "form": form, "document": document},
    )


# Versions ----------------------------------------------------------------------------------


@filers_only
def version_add(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    document = _document(request, network, pk, "change")
    if document.is_link:
        raise Http404
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_add(
                actor=request.user, document=document, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)d was added.") % {"number": version.number}
            )
            return redirect("documents:detail", slug=network.slug, pk=document.pk)
    return render(
        request,
        "documents/version_form.html",
        {"network": network, "form": form, "document": document},
    )


def _errors_as_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@filers_only
def version_restore(
    request: HttpRequest, network: Network, pk: int, number: int
) -> HttpResponseBase:
    document = _document(request, network, pk, "change")
    version = _version(document, number)
    try:
        restored = services.version_restore(actor=request.user, document=document, version=version)
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(
            request,
            _("Version %(old)d is the newest again, as version %(new)d.")
            % {"old": version.number, "new": restored.number},
        )
    return redirect("documents:detail", slug=network.slug, pk=document.pk)


@require_POST
@filers_only
def extraction_retry(
    request: HttpRequest, network: Network, pk: int, number: int
) -> HttpResponseBase:
    document = _document(request, network, pk, "change")
    version = _version(document, number)
    try:
        services.extraction_retry(actor=request.user, version=version)
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(request, _("The text will be read again in a moment."))
    return redirect("documents:detail", slug=network.slug, pk=document.pk)


# Delete and undo ---------------------------------------------------------------------------


@require_POST
@filers_only
def document_delete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    document = _document(request, network, pk, "change")
    services.document_delete(actor=request.user, document=document)
    messages.success(
        request,
        _("“%(title)s” was deleted. You can undo this under “Recently deleted” for 30 days.")
        % {"title": document.title},
    )
    return redirect("documents:archive", slug=network.slug)


@filers_only
def deleted_list(request: HttpRequest, network: Network) -> HttpResponseBase:
    return render(
        request,
        "documents/deleted_list.html",
        {"network": network, "documents": selectors.recently_deleted(request.user, network)},
    )


@require_POST
@filers_only
def document_undelete(request: HttpRequest, network: Network, pk: int) -> HttpResponseBase:
    document = _document(request, network, pk, "restore")
    try:
        services.document_undelete(actor=request.user, document=document)
    except ValidationError as error:
        _errors_as_messages(request, error)
        return redirect("documents:deleted", slug=network.slug)
    messages.success(request, _("“%(title)s” is back in the archive.") % {"title": document.title})
    return redirect("documents:detail", slug=network.slug, pk=document.pk)
