from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("qijian.core.urls")),
    path("accounts/", include("qijian.accounts.urls")),
    path("org/", include("qijian.org.urls")),
    path("enterprises/", include("qijian.enterprises.urls")),
    path("audit/", include("qijian.audit.urls")),
    path("meetings/", include("qijian.meetings.urls")),
    path("catalog/", include("qijian.catalog.urls")),
    path("plans/", include("qijian.plans.urls")),
    path("filings/", include("qijian.inspections.urls")),
    path("oversight/", include("qijian.oversight.urls")),
    path("checkins/", include("qijian.checkins.urls")),
    path("c/", include("qijian.checkins.public_urls")),
    path("grading/", include("qijian.grading.urls")),
    path("sampling/", include("qijian.sampling.urls")),
    path("draws/", include("qijian.sampling.public_urls")),
    path("joint/", include("qijian.joint.urls")),
    path("evaluations/", include("qijian.evaluations.urls")),
    path("e/", include("qijian.evaluations.public_urls")),
    path("imports/", include("qijian.core.imports.urls")),
    path("api/v1/", include(("qijian.api_urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]
