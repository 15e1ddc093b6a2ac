"""Routes of the county tables (included by qijian/plans/urls.py, so named ``plans:table_*``)."""

from django.urls import path

from qijian.plans.tables import views

urlpatterns = [
    path("<int:pk>/tables/<slug:table>/import/", views.table_import, name="table_import"),
    path("<int:pk>/tables/<slug:table>/<slug:fmt>/", views.table_export, name="table_export"),
    path("tables/county/", views.table_county, name="table_county"),
    path("tables/county/<int:year>/<int:quarter>/", views.table_county_export, name="table_county_export"),
    path("tables/import-report/<str:token>/", views.table_import_report, name="table_import_report"),
]
