from django.urls import path

from qijian.core.imports import views

app_name = "imports"

urlpatterns = [
    path("enterprises/", views.upload, {"kind": "enterprises"}, name="enterprises"),
    path("inspectors/", views.upload, {"kind": "inspectors"}, name="inspectors"),
    path("enterprises/template.xlsx", views.blank_template, {"kind": "enterprises"}, name="enterprises_template"),
    path("inspectors/template.xlsx", views.blank_template, {"kind": "inspectors"}, name="inspectors_template"),
    path("enterprises/export/", views.export, {"kind": "enterprises"}, name="enterprises_export"),
    path("inspectors/export/", views.export, {"kind": "inspectors"}, name="inspectors_export"),
    path("results/<str:token>/", views.result, name="result"),
    path("results/<str:token>/report.xlsx", views.report, name="report"),
]
