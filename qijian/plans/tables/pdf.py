"""The same tables as PDF: an HTML template printed by WeasyPrint on A4 landscape.

The header block and the column headers sit in the table's <thead>, which WeasyPrint repeats on
every page; fonts are Debian's Noto CJK (fonts-noto-cjk), so nothing is fetched from a network.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from qijian.plans.tables.layouts import SIGNATURE, Sheet

TEMPLATE = "plans/tables/print.html"
STYLESHEET = "plans/tables/print.css"


def render_html(sheet: Sheet) -> str:
    total = sum(sheet.layout.widths)
    widths = [round(100 * w / total, 2) for w in sheet.layout.widths]
    context = {
        "sheet": sheet,
        "columns": list(zip(sheet.layout.headers, widths, strict=True)),
        "signature": SIGNATURE,
    }
    return render_to_string(TEMPLATE, context)


def _document(sheet: Sheet) -> object:
    from weasyprint import CSS, HTML

    css = CSS(string=_column_css(sheet) + render_to_string(STYLESHEET))
    return HTML(string=render_html(sheet)).render(stylesheets=[css])


def _column_css(sheet: Sheet) -> str:
    """Column widths as CSS rules (the template carries no style attributes)."""
    total = sum(sheet.layout.widths)
    rules = (f"col.c{i} {{ width: {100 * w / total:.2f}%; }}" for i, w in enumerate(sheet.layout.widths, start=1))
    return "\n".join(rules) + "\n"


def render_pdf(sheet: Sheet) -> bytes:
    return _document(sheet).write_pdf()  # type: ignore[attr-defined, no-any-return]


def page_texts(sheet: Sheet) -> list[str]:
    """The text laid out on each page (for tests and checks): WeasyPrint's boxes, no PDF parser needed."""
    document = _document(sheet)
    return [_box_text(page._page_box) for page in document.pages]  # type: ignore[attr-defined]


def _box_text(box: object) -> str:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_box_text(child) for child in getattr(box, "children", ()))
