"""Benchmark of text extraction (issue 13), in documents/s, as a ratio to the bare libraries.

    .venv/bin/python -m bench.extraction        # or: make bench-extraction

Makes ``NAVET_BENCH_DOCUMENTS`` (default 50) PDFs (WeasyPrint) and as many DOCX files
(python-docx), each with about 5 KB of Swedish text: a heading, paragraphs and a table of
figures, two to three pages of PDF. Then it times ``documents.extraction.extract_text`` over
all of them, ``NAVET_BENCH_REPEATS`` (default 5) rounds, against the bare library doing the
same reading in the same run, taking turns document by document: pypdf's
``page.extract_text()`` for every page, python-docx's text of every paragraph and every table
cell. The ratios (of documents/s, and of the CPU time this process spent, which other load on
the machine disturbs least) say what Navet adds: zip checks, format detection, normalising
whitespace, the text cap. The documents/s figures depend on the machine. No database.
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("NAVET_DATA_DIR", tempfile.mkdtemp(prefix="navet-bench-"))

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
import weasyprint  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.measure import settle  # noqa: E402
from navet.core import uploads  # noqa: E402
from navet.documents.extraction import extract_text  # noqa: E402

DOCUMENTS = int(os.environ.get("NAVET_BENCH_DOCUMENTS", "50"))
REPEATS = int(os.environ.get("NAVET_BENCH_REPEATS", "5"))
TEXT_BYTES = 5_000

# Split from one string to keep the word list short to read.
WORDS = (  # noqa: SIM905
    "kommunerna nätverket samverkan återbruk upphandling klimatet energi omställning "
    "förskolor måltider cykelbanor vattenförsörjning översiktsplan medborgardialog "
    "region länsstyrelsen styrgruppen handlingsplan uppföljning indikatorer mål "
    "delårsrapport budget avgift medlemmar arbetsgrupp workshop näringsliv ungdomar "
    "biologisk mångfald skogsbruk kollektivtrafik laddinfrastruktur solceller "
    "avfallsplan livsmedelsstrategi folkhälsa integration digitalisering"
).split()
TOWNS = "Borås Växjö Umeå Örebro Gävle Luleå Jönköping Skövde Härnösand Åre Älmhult".split()  # noqa: SIM905


def paragraphs(rng: random.Random) -> list[str]:
    """About TEXT_BYTES of text in sentences of 8–20 words, 3–6 sentences a paragraph."""
    out: list[str] = []
    size = 0
    while size < TEXT_BYTES:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            words.insert(rng.randrange(len(words)), rng.choice(TOWNS))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        out.append(paragraph)
        size += len(paragraph.encode()) + 1
    return out


def table_rows(rng: random.Random) -> list[list[str]]:
    return [["Kommun", "Åtgärd", "Kronor"]] + [
        [rng.choice(TOWNS), rng.choice(WORDS), str(rng.randint(1_000, 900_000))] for _ in range(8)
    ]


def make_pdf(rng: random.Random, number: int) -> bytes:
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in table_rows(rng)
    )
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs(rng))
    html = (
        f"<html lang='sv'><body style='font-size: 11pt'><h1>Protokoll {number}</h1>{body}"
        f"<table>{rows}</table></body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def make_docx(rng: random.Random, number: int) -> bytes:
    document = docx.Document()
    document.add_heading(f"Protokoll {number}", level=1)
    for paragraph in paragraphs(rng):
        document.add_paragraph(paragraph)
    rows = table_rows(rng)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def raw_pdf(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def raw_docx(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def rounds(
    files: list[bytes], readers: list[Callable[[bytes], str]], repeats: int
) -> list[list[tuple[float, float]]]:
    """Per reader, per round: (wall seconds, CPU seconds of this process) over all files. The
    readers take turns file by file, after one warm-up pass each, so a burst of other work on
    the machine falls on all of them alike; CPU time is what load on the machine disturbs
    least."""
    for read in readers:
        for content in files:
            read(content)
    samples: list[list[tuple[float, float]]] = [[] for _ in readers]
    for _ in range(repeats):
        wall = [0.0] * len(readers)
        cpu = [0.0] * len(readers)
        for content in files:
            for index, read in enumerate(readers):
                began, began_cpu = time.perf_counter(), time.process_time()
                read(content)
                wall[index] += time.perf_counter() - began
                cpu[index] += time.process_time() - began_cpu
        for index, times in enumerate(samples):
            times.append((wall[index], cpu[index]))
    return samples


def main() -> None:
    rng = random.Random(13)
    began = time.perf_counter()
    pdfs = [make_pdf(rng, n) for n in range(DOCUMENTS)]
    docxs = [make_docx(rng, n) for n in range(DOCUMENTS)]
    pages = sum(len(PdfReader(io.BytesIO(content)).pages) for content in pdfs)
    print(
        f"made {DOCUMENTS} PDFs ({pages} pages, {sum(map(len, pdfs)) / DOCUMENTS / 1000:.0f} KB "
        f"each on average) and {DOCUMENTS} DOCX files "
        f"({sum(map(len, docxs)) / DOCUMENTS / 1000:.0f} KB each) "
        f"in {time.perf_counter() - began:.1f} s"
    )
    cases = {
        "PDF": (pdfs, uploads.PDF, raw_pdf),
        "DOCX": (docxs, uploads.OOXML, raw_docx),
    }
    texts = {
        name: [extract_text(io.BytesIO(content), kind) for content in files]
        for name, (files, kind, _raw) in cases.items()
    }
    for name, extracted in texts.items():
        assert all("Protokoll" in text and "Kommun" in text for text in extracted), name
        average = sum(len(text.encode()) for text in extracted) / len(extracted)
        print(f"{name}: {average / 1000:.1f} KB of text per document (UTF-8)")
    settle()

    print(
        f"\n{REPEATS} rounds over {DOCUMENTS} documents each, Navet and the bare library taking "
        "turns document by document"
    )
    print(
        f"{'case':24} {'doc/s':>7} {'min':>6} {'max':>6} {'CPU ms/doc':>11} "
        f"{'ratio doc/s':>12} {'ratio CPU':>10}"
    )
    for name, (files, kind, raw) in cases.items():

        def navet(content: bytes, kind: str = kind) -> str:
            return extract_text(io.BytesIO(content), kind)

        bare, ours = rounds(files, [raw, navet], REPEATS)
        base_rate = statistics.median(DOCUMENTS / wall for wall, _cpu in bare)
        base_cpu = statistics.median(cpu for _wall, cpu in bare)
        for label, samples in ((f"{name}, bare library", bare), (f"{name}, extract_text", ours)):
            rates = [DOCUMENTS / wall for wall, _cpu in samples]
            cpu = statistics.median(cpu for _wall, cpu in samples)
            rate = statistics.median(rates)
            print(
                f"{label:24} {rate:7.1f} {min(rates):6.1f} {max(rates):6.1f} "
                f"{1000 * cpu / DOCUMENTS:11.1f} {rate / base_rate:12.2f} {base_cpu / cpu:10.2f}"
            )
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
