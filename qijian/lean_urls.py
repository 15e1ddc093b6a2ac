"""URLconf of the lean handler (qijian/core/lean.py): its paths first, then the whole site, so that a view
it serves can still ``reverse()`` any URL."""

from django.urls import path

from qijian.checkins.api_fast import checkins
from qijian.urls import urlpatterns as site

urlpatterns = [path("api/v1/checkins/", checkins), *site]
