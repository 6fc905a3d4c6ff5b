"""PDFs from templates with WeasyPrint (the plan PDF, the course brochure): one place for
the fonts (IBM Plex Sans from the DKFDS static files) and the base URL."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONTS = {
    "font": "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf",
    "bold": "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Bold.ttf",
}


def fonts() -> dict[str, str]:
    """``{"font": "file://…", "bold": "file://…"}`` for the templates' @font-face ("" if missing)."""
    found = {key: finders.find(path) for key, path in FONTS.items()}
    return {key: f"file://{path}" if path else "" for key, path in found.items()}


def render_html(template_name: str, context: dict) -> str:
    """The HTML that ``render`` turns into a PDF (the fonts are added to the context)."""
    return render_to_string(template_name, context | fonts())


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url or settings.SAMPLAN_BASE_URL + "/").write_pdf()


def render(template_name: str, context: dict, base_url: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes; relative links resolve against
    ``base_url`` (default: ``settings.SAMPLAN_BASE_URL``)."""
    return html_to_pdf(render_html(template_name, context), base_url)
