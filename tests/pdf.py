"""Read a generated PDF back as text, the way a person would copy it out of a viewer."""

import shutil
import subprocess
from pathlib import Path

import pytest


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The PDF's text via poppler's pdftotext; skips the test loudly if poppler is missing."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF text cannot be read")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
