"""core.uploads: text that a browser would read as a page is not plain text.

Before, only a few tags at the very start counted; a leading HTML comment (which hides an SVG
or a page after it), a form feed, or one of the other tags the WHATWG MIME sniffing standard
reads as HTML (<p>, <a>, <div>, <table> …) let markup through as "text"."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from navet.core import uploads


@pytest.mark.parametrize(
    "content",
    [
        b"<!-- a note --><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xef\xbb\xbf\r\n<!--x--><html><script>alert(1)</script>",
        b"\x0c<html><script>alert(1)</script>",
        b"<p><img src=x onerror=alert(1)>",
        b"<P>shouting</P>",
        b"<a href='javascript:alert(1)'>klicka</a>",
        b"<div onmouseover=alert(1)>",
        b"<table><tr><td>",
        b"<style>body{}</style>",
        b"<title>x</title>",
        b"<b>fet</b>",
        b"<br/>",
        b"<h1>Rubrik</h1>",
        b"<font color=red>",
    ],
)
def test_markup_is_not_text(content: bytes) -> None:
    assert uploads.sniff_type(SimpleUploadedFile("x.txt", content)) == ""
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        uploads.check_upload(SimpleUploadedFile("anteckningar.txt", content))
    assert "Navet kan inte avgöra vilken sorts fil detta är." in error.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b"<3 kommunerna\n",  # not a tag
        b"<abc> is not an HTML tag the browser sniffs\n",
        b"<pre is not in the list either\n",
        b"a <script> later in the file is shown as text (served text/plain, nosniff)\n",
        "Kommun;Invånare\nBorås;115000\n".encode(),
    ],
)
def test_text_that_only_mentions_markup_is_still_text(content: bytes) -> None:
    assert uploads.sniff_type(SimpleUploadedFile("x.txt", content)) == uploads.TEXT
