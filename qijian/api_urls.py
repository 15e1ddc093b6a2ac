"""REST API v1: each app's viewsets are registered on this router."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from qijian.accounts.api import ObtainTokenView, UserViewSet
from qijian.audit.api import AuditEventViewSet
from qijian.catalog.api import CatalogItemViewSet, CatalogVersionViewSet
from qijian.checkins.api import CheckInViewSet
from qijian.checkins.api_fast import checkins as fast_checkins
from qijian.core.api_views import api_not_found
from qijian.enterprises.api import EnterpriseViewSet, IndustryViewSet
from qijian.evaluations import api as evaluations_api
from qijian.grading.api import GradeEntryViewSet
from qijian.inspections.api import FilingViewSet
from qijian.joint.api import PlanningRunViewSet, ProposalViewSet, UnplannedViewSet
from qijian.meetings.api import DecisionViewSet, MeetingViewSet
from qijian.org.api import ConflictViewSet, DepartmentViewSet, InspectorViewSet, RegionViewSet
from qijian.oversight import referral_api
from qijian.oversight.api import AlertViewSet
from qijian.plans.api import PlanEntryViewSet, PlanViewSet, WorkReportViewSet
from qijian.sampling.api import DrawViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("regions", RegionViewSet, basename="region")
router.register("industries", IndustryViewSet, basename="industry")
router.register("departments", DepartmentViewSet, basename="department")
router.register("inspectors", InspectorViewSet, basename="inspector")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("users", UserViewSet, basename="user")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-entries", PlanEntryViewSet, basename="planentry")
router.register("work-reports", WorkReportViewSet, basename="workreport")
router.register("alerts", AlertViewSet, basename="alert")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("catalog-versions", CatalogVersionViewSet, basename="catalogversion")
router.register("catalog-items", CatalogItemViewSet, basename="catalogitem")
router.register("filings", FilingViewSet, basename="filing")
router.register("checkins", CheckInViewSet, basename="checkin")
router.register("draws", DrawViewSet, basename="draw")
router.register("grade-entries", GradeEntryViewSet, basename="gradeentry")
router.register("joint-proposals", ProposalViewSet, basename="jointproposal")
router.register("joint-runs", PlanningRunViewSet, basename="jointrun")
router.register("joint-unplanned", UnplannedViewSet, basename="jointunplanned")
evaluations_api.register(router)
referral_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    # The phone's check-in POST first (qijian/checkins/api_fast.py), under the router's name for the same URL.
    path("checkins/", fast_checkins, name="checkin-list"),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found, name="not_found"),  # a JSON 404, not the HTML page, for unknown API paths
]
