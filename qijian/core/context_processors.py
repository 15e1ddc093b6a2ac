from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"site_name": "企检", "site_title": "沧县涉企行政检查监管平台"}
