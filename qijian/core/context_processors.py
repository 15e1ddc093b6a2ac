from typing import Any

from django.http import HttpRequest

from qijian.core.nav import menu_for


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else ""
    return {
        "qj_site_name": "企检",
        "site_title": "沧县涉企行政检查监管平台",
        "nav_menu": menu_for(role) if role else [],
    }
