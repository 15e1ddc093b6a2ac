"""QR image and PDF downloads for staff (included from qijian/checkins/urls.py at "codes/")."""

from django.urls import path

from qijian.checkins import code_views, pdf_views

app_name = "codes"
urlpatterns = [
    path("filing/<int:pk>.png", code_views.filing_png, name="filing_png"),
    path("filing/<int:pk>.svg", code_views.filing_svg, name="filing_svg"),
    path("enterprise/<int:pk>.png", code_views.enterprise_png, name="enterprise_png"),
    path("enterprise/<int:pk>.svg", code_views.enterprise_svg, name="enterprise_svg"),
    path("filing/<int:pk>/notice.pdf", pdf_views.filing_notice, name="filing_notice"),
    path("enterprise/<int:pk>/poster.pdf", pdf_views.enterprise_poster, name="enterprise_poster"),
]
