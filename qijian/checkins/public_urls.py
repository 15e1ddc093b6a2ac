"""The public address a QR code carries: /c/<token> (mounted at "c/" in qijian/urls.py; no sign-in)."""

from django.urls import path

from qijian.checkins import public_views

app_name = "public_code"
urlpatterns = [
    path("<str:token>", public_views.show, name="show"),
]
