"""The demo network's archive: a few real files (PDF, DOCX, text) and a link, filed under the
network, a group and a held meeting, with each kind of visibility.

They go through the archive's services like an upload, so their text is extracted by the
background worker (``make run`` starts it) and they are found by the search. The texts are
written for the demo from the facts of the network's 2022 annual report; no real person is
named.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as DocxDocument
from weasyprint import HTML

from navet.documents.models import Document
from navet.documents.services import document_create
from navet.meetings.models import Meeting
from navet.networks.models import Group, Network

KOMMUNNATVERKET_SLUG = "kommunnatverket"

ANNUAL_REPORT_PARAGRAPHS = (
    "Kommunnätverket för hållbar utveckling ger samverkan, erfarenhetsutbyte och driv till "
    "kommunernas arbete inom hållbar utveckling, med fokus på Agenda 2030, Klimat 2030 och "
    "Utmaningar för ett hållbart Västra Götaland.",
    "Under 2022 har stort fokus legat på strategiskt klimat- och miljöarbete, artskydd samt "
    "kommunalt energi- och klimatarbete. Medborgardialog, industriell symbios, "
    "kompensationsåtgärder, grön infrastruktur och upphandling har också varit teman.",
    "Nätverket har tre fokusgrupper: Miljöstrategigruppen, Naturvårdsgruppen och Rättvis "
    "handelgruppen. Varje grupp träffas flera gånger om året, fysiskt, digitalt eller båda.",
    "Deltagarna värderar träffarna högt: erfarenhetsutbytet mellan kommunerna och inbjudna "
    "föreläsare ger kunskap och omvärldsbevakning som den enskilda kommunen inte får på egen "
    "hand.",
)

PROCUREMENT_PARAGRAPHS = (
    "Checklista för rättvis upphandling av kaffe, te och frukt.",
    "Ställ krav på spårbarhet i leverantörskedjan och på att arbetsvillkoren följer ILO:s "
    "kärnkonventioner.",
    "Följ upp kraven under avtalstiden: begär intyg från leverantören varje år.",
)

STEERING_NOTES = (
    "Anteckningar från styrgruppens möte.\n"
    "1. Budget för nästa år: förslaget till avgiftsindex behandlas i december.\n"
    "2. Samordnarnas tid: fördelningen mellan fokusgrupperna ses över.\n"
)


def _pdf(title: str, paragraphs: tuple[str, ...]) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = f'<html lang="sv"><body><h1>{title}</h1>{body}</body></html>'
    return bytes(HTML(string=html).write_pdf())


def _docx(title: str, paragraphs: tuple[str, ...]) -> bytes:
    document = DocxDocument()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def load_demo_documents() -> bool:
    """File the demo documents once; False (and nothing changed) if the archive has files."""
    network = Network.objects.filter(slug=KOMMUNNATVERKET_SLUG).first()
    if network is None or network.documents.filter(versions__isnull=False).exists():
        return False
    fair_trade = Group.objects.get(network=network, slug="rattvis-handel")
    held = (
        Meeting.objects.filter(network=network, status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .first()
    )
    document_create(
        actor=None,
        network=network,
        title="Verksamhetsberättelse 2022",
        file=SimpleUploadedFile(
            "Verksamhetsberättelse 2022.pdf",
            _pdf("Verksamhetsberättelse 2022", ANNUAL_REPORT_PARAGRAPHS),
        ),
        category=Document.Category.REPORT,
        visibility=Document.Visibility.PUBLIC,
        description="Kommunnätverkets verksamhet under 2022.",
        tags="verksamhetsberättelse, agenda 2030",
        year=2022,
    )
    document_create(
        actor=None,
        network=network,
        group=fair_trade,
        title="Checklista för rättvis upphandling",
        file=SimpleUploadedFile(
            "Checklista rättvis upphandling.docx",
            _docx("Checklista för rättvis upphandling", PROCUREMENT_PARAGRAPHS),
        ),
        category=Document.Category.OTHER,
        tags="upphandling, fairtrade",
    )
    document_create(
        actor=None,
        network=network,
        title="Anteckningar från styrgruppen",
        file=SimpleUploadedFile("Styrgruppen.txt", STEERING_NOTES.encode()),
        category=Document.Category.MINUTES,
        visibility=Document.Visibility.COORDINATORS,
    )
    if held is not None:
        document_create(
            actor=None,
            network=network,
            meeting=held,
            title="Inspelning av träffen",
            url="https://example.org/navet-demo/inspelning",
            category=Document.Category.RECORDING,
        )
    return True
