"""Routes of the complaint pages (included under the "evaluations" namespace at /evaluations/complaints/)."""

from django.urls import URLPattern, path

from qijian.evaluations import complaint_import_views as import_views
from qijian.evaluations import complaint_views as views

urlpatterns: list[URLPattern] = [
    path("", views.complaint_list, name="complaint_list"),
    path("new/", views.complaint_register, name="complaint_register"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/accept/", views.complaint_accept, name="complaint_accept"),
    path("<int:pk>/reply/", views.complaint_reply, name="complaint_reply"),
    path("<int:pk>/reject/", views.complaint_reject, name="complaint_reject"),
    path("mine/", views.my_complaints, name="my_complaints"),
    path("mine/new/", views.my_complaint_new, name="my_complaint_new"),
    path("mine/<int:pk>/", views.my_complaint, name="my_complaint"),
    path("import/", import_views.upload, name="complaint_import"),
    path("import/results/<str:token>/", import_views.result, name="complaint_import_result"),
    path("import/results/<str:token>/report.xlsx", import_views.report, name="complaint_import_report"),
    path("import/hotline.xlsx", import_views.blank_template, {"source": "hotline"}, name="complaint_template_hotline"),
    path("import/direct.xlsx", import_views.blank_template, {"source": "direct"}, name="complaint_template_direct"),
]
