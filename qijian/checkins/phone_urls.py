"""The inspector's phone pages, included under /checkins/phone/ by qijian/checkins/urls.py."""

from django.urls import path

from qijian.checkins import phone_views

urlpatterns = [
    path("", phone_views.scan, name="phone_scan"),
    path("<int:pk>/", phone_views.result, name="phone_result"),
]
