"""WSGI entry point: Django's handler, with the phone's check-in POST on a shorter middleware chain
(qijian/core/lean.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qijian.settings")
_site = get_wsgi_application()  # sets Django up before qijian.core.lean imports models

from qijian.core.lean import application as lean_front  # noqa: E402

application = lean_front(_site)
