from django.urls import include, path

from qijian.checkins import views

app_name = "checkins"
urlpatterns: list = [
    path("phone/", include("qijian.checkins.phone_urls")),
    path("codes/", include("qijian.checkins.code_urls")),
    path("", views.checkin_list, name="list"),
    path("<int:pk>/", views.checkin_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path("enterprise/<int:pk>/trace/", views.enterprise_trace, name="enterprise_trace"),
    path("enterprise/trace/", views.own_trace, name="own_trace"),
    path("filing/<int:pk>/trace/", views.filing_trace, name="filing_trace"),
]
