"""REST API of the minimal meetings app: meetings and their decisions, read-only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet
from qijian.meetings.choices import DecisionSubject, MeetingKind
from qijian.meetings.models import Decision, Meeting
from qijian.org.models import STAFF_ROLES

MeetingPermission = role_permission("MeetingPermission", read=STAFF_ROLES)


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    meeting_title = serializers.CharField(source="meeting.title", read_only=True, label="会议名称")

    class Meta:
        model = Decision
        fields = ["id", "number", "meeting", "meeting_title", "subject", "text", "recorded_by", "recorded_at"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ["id", "title", "kind", "held_on", "minutes", "recorded_by", "created_at"]


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="会议类型")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="召开日期起")
    held_until = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="召开日期止")

    class Meta:
        model = Meeting
        fields = ["kind", "held_from", "held_until"]


class DecisionFilter(django_filters.FilterSet):
    subject = django_filters.ChoiceFilter(choices=DecisionSubject.choices, label="事项类别")
    meeting = IdFilter(field_name="meeting_id", label="会议编号")

    class Meta:
        model = Decision
        fields = ["subject", "meeting"]


@extend_schema_view(list=extend_schema(summary="联席会议列表"), retrieve=extend_schema(summary="联席会议详情"))
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Joint meetings (联席会议) recorded by the office."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    permission_classes = [MeetingPermission]


@extend_schema_view(list=extend_schema(summary="会议决定列表"), retrieve=extend_schema(summary="会议决定详情"))
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Decisions of the joint meeting; catalog versions and plans are approved by one."""

    model = Decision
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    permission_classes = [MeetingPermission]

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("meeting")
