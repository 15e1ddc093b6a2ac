"""Routes of the summary pages (included under the "evaluations" namespace)."""

from django.urls import URLPattern, path

from qijian.evaluations import summary_views

urlpatterns: list[URLPattern] = [
    path("", summary_views.summary_page, name="summary"),
    path("summary.xlsx", summary_views.summary_xlsx, name="summary_xlsx"),
    path("summary.pdf", summary_views.summary_pdf, name="summary_pdf"),
]
