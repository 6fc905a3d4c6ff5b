"""The letter as the citizen reads it: the same blocks in the HTML preview and the PDF.

The PDF is tagged PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``), in Danish and with a
title, so screen readers read it in order and in the right language."""

from dataclasses import dataclass

from django.conf import settings

from samplan.core import pdf as core_pdf

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Block:
    kind: str  # "h2" or "p"
    lines: list[str]


def blocks(body: str) -> list[Block]:
    """The body's paragraphs (blank-line separated); a paragraph starting "## " is a heading."""
    out = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            out.append(Block("h2", [lines[0][3:].strip()]))
            if lines[1:]:
                out.append(Block("p", lines[1:]))
        else:
            out.append(Block("p", lines))
    return out


def context(letter) -> dict:
    return {"letter": letter, "fields": letter.fields, "blocks": blocks(letter.body), "citizen": letter.citizen}


def render_letter(letter) -> bytes:
    from weasyprint import HTML

    html = core_pdf.render_html("letters/letter_pdf.html", context(letter))
    return HTML(string=html, base_url=settings.SAMPLAN_BASE_URL + "/").write_pdf(pdf_variant=PDF_VARIANT)
