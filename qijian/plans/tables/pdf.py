"""The same tables as PDF: an HTML template printed by WeasyPrint on A4 landscape.

The header block and the column headers sit in the table's <thead>, which WeasyPrint repeats on
every page; fonts are Debian's Noto CJK (fonts-noto-cjk), so nothing is fetched from a network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from qijian.plans.tables.layouts import SIGNATURE, Sheet

TEMPLATE = "plans/tables/print.html"
STYLESHEET = "plans/tables/print.css"
CENTRED = frozenset({"序号", "检查类别", "是否联合检查", "检查方式", "检查层级", "是否多层级联合", "完成情况"})


def render_html(sheet: Sheet) -> str:
    context = {"sheet": sheet, "headers": sheet.layout.headers, "signature": SIGNATURE}
    return render_to_string(TEMPLATE, context)


def stylesheet(sheet: Sheet) -> str:
    """The print stylesheet plus this table's column widths and centred columns (no style attributes)."""
    total = sum(sheet.layout.widths)
    rules = [f"col.c{i} {{ width: {100 * w / total:.2f}%; }}" for i, w in enumerate(sheet.layout.widths, start=1)]
    rules += [
        f"td:nth-child({i}) {{ text-align: center; }}"
        for i, name in enumerate(sheet.layout.short_headers, start=1)
        if name in CENTRED or name.endswith("户次")
    ]
    return render_to_string(STYLESHEET) + "\n".join(rules) + "\n"


def _document(sheet: Sheet) -> Any:
    from weasyprint import CSS, HTML

    return HTML(string=render_html(sheet)).render(stylesheets=[CSS(string=stylesheet(sheet))])


def render_pdf(sheet: Sheet) -> bytes:
    return _document(sheet).write_pdf()  # type: ignore[no-any-return]


def page_texts(sheet: Sheet) -> list[str]:
    """The text laid out on each page (for tests and checks): WeasyPrint's boxes, no PDF parser needed."""
    return [_box_text(page._page_box) for page in _document(sheet).pages]


def _box_text(box: object) -> str:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        return text
    return "".join(_box_text(child) for child in getattr(box, "children", ()))
