from django.urls import include, path

from qijian.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/review/", views.plan_review, name="plan_review"),
    path("<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/return/", views.plan_return, name="plan_return"),
    path("<int:pk>/extension/", views.plan_extension, name="plan_extension"),
    path("targets/search/", views.target_search, name="target_search"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/completion/", views.entry_completion, name="entry_completion"),
    path("work-reports/", views.work_report_list, name="work_report_list"),
    path("work-reports/new/", views.work_report_create, name="work_report_create"),
    path("", include("qijian.plans.tables.urls")),  # 附件2/附件5 tables (qijian/plans/tables/)
]
