"""The base of every API viewset: reads go through ``restrict()``, so another department's row is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Model, QuerySet
from django_filters.fields import IsoDateTimeField
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from qijian.core.models import CHANGE, VIEW


class VerifiedSessionScheme(SessionScheme):
    """OpenAPI: the session cookie (of an OTP-verified session for two-factor roles)."""

    target_class = "qijian.core.api_auth.VerifiedSessionAuthentication"


class ScopedViewSet(GenericViewSet):  # type: ignore[type-arg]
    """Reads through ``Model.objects.restrict(user, action)``: "view" for safe methods, else "change"."""

    model: type[Model]

    def get_queryset(self) -> QuerySet[Any]:
        action = VIEW if self.request.method in SAFE_METHODS else CHANGE
        queryset = self.model.objects.restrict(self.request.user, action)  # type: ignore[attr-defined]
        return self.tune_queryset(queryset)

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Joins and prefetches for the serializer (no N+1); override per resource."""
        return queryset


class ServiceCreateMixin:
    """POST creates through the app's service (audited), never through ``serializer.save()``.

    A viewset names its service as ``create_service``; it is called with ``actor=`` and the
    validated fields, and must return the new object.
    """

    create_service: Callable[..., Model]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        created = type(self).create_service(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)  # type: ignore[attr-defined]


MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """Filter by a related object's id (a positive integer)."""

    field_class = IdField


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def api_not_found(request: Request) -> Response:
    """Any path under /api/v1/ that names no resource."""
    raise NotFound()


class ErrorDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The body of every error that is not a field validation error (component "ErrorDetail")."""

    detail = serializers.CharField(label="错误说明")


ERROR_DETAIL = ErrorDetailSerializer


MAX_UTC_OFFSET = dt.timedelta(hours=14)  # the widest offset in use; PostgreSQL refuses beyond ±15:59


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant that every database accepts: a real-world offset, converted to UTC."""

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed: dt.datetime | None = super().to_python(value)
        offset = parsed.utcoffset() if parsed is not None else None
        if parsed is None or offset is None:
            return parsed
        try:
            if abs(offset) > MAX_UTC_OFFSET:
                raise OverflowError
            return parsed.astimezone(dt.UTC)
        except OverflowError as exc:
            raise forms.ValidationError("时间或时区偏移超出范围", code="invalid") from exc


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """Filter by an ISO 8601 date-time (with an offset of at most ±14:00)."""

    field_class = UtcDateTimeField
