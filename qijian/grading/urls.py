from django.urls import path

from qijian.grading import import_views, views

app_name = "grading"
urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("lists/produce/", views.list_produce, name="list_produce"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/approve/", views.list_approve, name="list_approve"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/override/", views.entry_override, name="entry_override"),
    path("focus/", views.focus_list, name="focus_list"),
    path("indicators/import/", import_views.upload, name="import_upload"),
    path("indicators/import/template.xlsx", import_views.blank_template, name="import_template"),
    path("indicators/import/results/<str:token>/", import_views.result, name="import_result"),
    path("indicators/import/results/<str:token>/report.xlsx", import_views.report, name="import_report"),
]
