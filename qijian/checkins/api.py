"""REST API of check-ins (入企扫码), used by the inspector's phone page and its offline queue.

POST /api/v1/checkins/ with an ``Idempotency-Key`` header (or the body's ``idempotency_key``): 201 with
the new record the first time, 200 with the SAME record on any replay of the key (even with a different
body: the first arrival wins). A refusal (uncertified inspector, forged code, too few inspectors on
site) is a 400 with a Chinese ``detail`` and nothing is written; an entry with no filing is NOT a
refusal: it is stored (``unfiled``: true) and raises a critical R01 alert.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable
from typing import Any

import django_filters
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from qijian.accounts.choices import OVERSEERS, Role
from qijian.catalog.choices import InspectionMethod
from qijian.checkins import queries, services
from qijian.checkins.choices import CheckInResult, CheckInSource, CheckInStatus
from qijian.checkins.models import Attachment, CheckIn
from qijian.core.api import role_permission
from qijian.core.api_views import IdFilter, ScopedViewSet, UtcDateTimeFilter
from qijian.inspections.api import UtcDateTime
from qijian.org.models import Inspector

CheckInPermission = role_permission(
    "CheckInPermission",
    read=OVERSEERS | {Role.DEPT_ADMIN, Role.INSPECTOR},
    write=frozenset({Role.INSPECTOR}),
)
KEY_HEADER = "Idempotency-Key"
BATCH_MAX = 200


# --- read serializers ------------------------------------------------------------------------------


class CheckInPersonSerializer(serializers.ModelSerializer[Inspector]):
    class Meta:
        model = Inspector
        fields = ["id", "name", "certificate_no", "department"]


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label="企业名称")
    filing_number = serializers.SerializerMethodField(label="报备编号")
    inspector = CheckInPersonSerializer(read_only=True, label="扫码执法人员")
    companions = CheckInPersonSerializer(many=True, read_only=True, label="同行执法人员")
    attachments = AttachmentSerializer(many=True, read_only=True, label="附件")
    result = serializers.CharField(
        read_only=True, label="检查结果", help_text="no_problem/problems/case_opened;未登记离开时为空"
    )
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True, allow_null=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "idempotency_key",
            "enterprise",
            "enterprise_name",
            "filing",
            "filing_number",
            "unfiled",
            "inspector",
            "companions",
            "scanned_at",
            "client_time",
            "latitude",
            "longitude",
            "accuracy_m",
            "source",
            "status",
            "method",
            "checked_out_at",
            "result",
            "rectification_deadline",
            "result_note",
            "attachments",
        ]
        read_only_fields = fields

    def get_filing_number(self, obj: CheckIn) -> str:
        return obj.filing.number if obj.filing_id and obj.filing else ""


_built: dict[type[serializers.Serializer[Any]], serializers.Serializer[Any]] = {}
_built_lock = threading.Lock()


def _once(serializer_class: type[serializers.Serializer[Any]]) -> serializers.Serializer[Any]:
    """One instance of ``serializer_class`` per process, its fields bound before any thread uses it.

    DRF copies (and a ModelSerializer rebuilds from the model's metadata) every field for each new
    instance: for a check-in that cost ten times the rendering or validating itself (docs/benchmarks.md).
    Rendering and ``run_validation`` only read the bound fields (as a ListSerializer's one child serves
    every item), so the instance is shared by threads; it never holds data, errors or context."""
    found = _built.get(serializer_class)
    if found is None:
        with _built_lock:
            found = _built.get(serializer_class)
            if found is None:
                found = serializer_class()
                found.fields  # noqa: B018 — bind them now
                _built[serializer_class] = found
    return found


def render_checkin(row: CheckIn) -> dict[str, Any]:
    """``CheckInSerializer(row).data`` for a row loaded as ``tune_queryset`` loads it, written out: in a
    request (cold caches) DRF's generic walk over the fields cost 0.3 ms, five times this (docs/benchmarks.md).
    Values that need a conversion go through the serializer's own bound fields; tests/checkins/test_api.py
    holds the result equal to the serializer's for rows with every field filled and empty."""
    fields = _once(CheckInSerializer).fields
    return {
        "id": row.pk,
        "idempotency_key": str(row.idempotency_key),
        "enterprise": row.enterprise_id,
        "enterprise_name": str(row.enterprise.name),
        "filing": row.filing_id,
        "filing_number": row.filing.number if row.filing_id and row.filing else "",
        "unfiled": bool(row.unfiled),
        "inspector": _person(row.inspector),
        "companions": [_person(p) for p in row.companions.all()],
        **_converted(fields, row, ("scanned_at", "client_time", "latitude", "longitude", "accuracy_m")),
        "source": str(row.source),
        "status": str(row.status),
        "method": str(row.method),
        **_converted(fields, row, ("checked_out_at", "result", "rectification_deadline", "result_note")),
        "attachments": [_attachment(a) for a in row.attachments.all()],
    }


def _converted(fields: Any, row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """As DRF renders plain attributes: None stays None, anything else through the field."""
    return {n: None if (v := getattr(row, n)) is None else fields[n].to_representation(v) for n in names}


def _person(person: Inspector) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": str(person.name),
        "certificate_no": str(person.certificate_no),
        "department": person.department_id,
    }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return _converted(_once(AttachmentSerializer).fields, attachment, tuple(AttachmentSerializer.Meta.fields))


# --- request bodies ----------------------------------------------------------------------------------


class CheckInBody(serializers.Serializer[Any]):
    idempotency_key = serializers.CharField(
        required=False, max_length=64, label="幂等键", help_text=f"也可放在请求头 {KEY_HEADER};二者必有其一"
    )
    enterprise_code = serializers.CharField(
        required=False, max_length=512, label="企业码", help_text="扫描或手工输入的企业码(或码中的网址)"
    )
    enterprise = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="企业编号", help_text="无企业码时使用(系统对接)"
    )
    companions = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        max_length=20,
        label="同行执法人员",
        help_text="执法证号列表",
    )
    client_time = UtcDateTime(required=False, label="手机记录时间", help_text="离线补传时手机扫码的时间;仅作参考")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90, label="纬度"
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180, label="经度"
    )
    accuracy_m = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000, label="定位精度(米)")
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=CheckInSource.choices, default=CheckInSource.ONLINE, label="来源"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("enterprise_code") and not attrs.get("enterprise"):
            raise serializers.ValidationError({"enterprise_code": ["请扫描或输入企业码。"]})
        return attrs


class QueuedCheckInBody(CheckInBody):
    idempotency_key = serializers.CharField(max_length=64, label="幂等键", help_text="每次扫码由手机生成")


class BatchBody(serializers.Serializer[Any]):
    items = serializers.ListField(
        child=QueuedCheckInBody(), min_length=1, max_length=BATCH_MAX, label="离线队列中的扫码记录"
    )


class BatchOutcomeSerializer(serializers.Serializer[Any]):
    idempotency_key = serializers.CharField(label="幂等键")
    outcome = serializers.ChoiceField(choices=["created", "replayed", "refused"], label="处理结果")
    checkin = CheckInSerializer(allow_null=True, label="扫码记录")
    detail = serializers.CharField(label="拒绝原因", allow_blank=True)


class CheckOutBody(serializers.Serializer[Any]):
    result = serializers.ChoiceField(choices=CheckInResult.choices, label="检查结果")
    rectification_deadline = serializers.DateField(required=False, allow_null=True, label="整改期限")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label="结果说明")
    method = serializers.ChoiceField(choices=InspectionMethod.choices, required=False, label="检查方式")


class AttachmentUploadBody(serializers.Serializer[Any]):
    file = serializers.FileField(label="文件", help_text="JPEG、PNG 或 PDF;大小上限见政策文件 [attachments]")


class AttachmentJsonBody(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, label="文件名")
    content_base64 = serializers.CharField(label="文件内容(Base64)", help_text="离线队列补传用;大文件请用 multipart")


# --- filters ----------------------------------------------------------------------------------------


class CheckInFilter(django_filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业编号")
    filing = IdFilter(field_name="filing_id", label="报备编号")
    unfiled = django_filters.BooleanFilter(label="未报备入企")
    status = django_filters.ChoiceFilter(choices=CheckInStatus.choices, label="状态")
    scanned_after = UtcDateTimeFilter(field_name="scanned_at", lookup_expr="gte", label="扫码时间不早于")
    scanned_before = UtcDateTimeFilter(field_name="scanned_at", lookup_expr="lt", label="扫码时间早于")

    class Meta:
        model = CheckIn
        fields = ["enterprise", "filing", "unfiled", "status", "scanned_after", "scanned_before"]


# --- the viewset --------------------------------------------------------------------------------------


def _refused(exc: Exception) -> serializers.ValidationError:
    return serializers.ValidationError({"detail": str(exc)})


KEY_PARAMETER = OpenApiParameter(
    KEY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="幂等键(1–64个字符):同一键重复提交只保存一条记录,返回原记录(200)",
)


@extend_schema_view(
    list=extend_schema(summary="入企扫码记录列表"),
    retrieve=extend_schema(summary="入企扫码记录详情"),
    create=extend_schema(
        summary="扫码入企(可离线补传)",
        request=CheckInBody,
        parameters=[KEY_PARAMETER],
        responses={201: CheckInSerializer, 200: CheckInSerializer},
    ),
    batch=extend_schema(
        summary="离线队列批量补传",
        request=BatchBody,
        responses={200: BatchOutcomeSerializer(many=True)},
    ),
    checkout=extend_schema(summary="登记检查结果并离开", request=CheckOutBody, responses={200: CheckInSerializer}),
    attachments=extend_schema(
        summary="上传检查附件",
        request={"multipart/form-data": AttachmentUploadBody, "application/json": AttachmentJsonBody},
        responses={201: AttachmentSerializer},
    ),
)
class CheckInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Check-ins: overseers see all; a department admin its inspectors'; an inspector those it took part in."""

    model = CheckIn
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    permission_classes = [CheckInPermission]

    def get_queryset(self) -> QuerySet[Any]:
        return self.tune_queryset(queries.checkins_for(self.request.user))

    def tune_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        people = Inspector.objects.order_by("certificate_no")
        return queryset.select_related("enterprise", "filing", "inspector").prefetch_related(
            Prefetch("companions", queryset=people), Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        )

    def _body(self, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        try:  # the common case, valid, through one validator built once (no per-request field copies)
            return dict(_once(serializer_class).run_validation(self.request.data))
        except serializers.ValidationError:
            pass  # invalid: DRF's own path, so that the 400 is exactly DRF's
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _fresh(self, pk: int, code: int) -> Response:
        return Response(render_checkin(checkin_to_answer(pk)), status=code)

    def _call(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except services.CheckInError as exc:
            raise _refused(exc) from exc

    def _visit(self, pk: str | None) -> CheckIn:
        found = queries.visit_checkin(self.request.user, int(str(pk))) if str(pk or "").isdigit() else None
        if found is None:
            raise NotFound()
        return found

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _service_fields(self._body(CheckInBody))
        data["idempotency_key"] = request.headers.get(KEY_HEADER) or data.get("idempotency_key", "")
        row, created = self._call(lambda: services.record_checkin(actor=request.user, **data))
        if created:  # the service returns a new row with its relations loaded: no re-read
            return Response(render_checkin(row), status=status.HTTP_201_CREATED)
        return self._fresh(row.pk, status.HTTP_200_OK)

    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def batch(self, request: Request) -> Response:
        """A phone's offline queue at once: each item is stored, replayed or refused on its own (200)."""
        items = [_service_fields(item) for item in self._body(BatchBody)["items"]]
        outcomes = services.record_checkins(actor=request.user, items=items)
        rows = self.tune_queryset(CheckIn.objects.filter(pk__in=[o.checkin.pk for o in outcomes if o.checkin]))
        by_pk = {row.pk: row for row in rows}
        data = [_outcome(item, o, by_pk) for item, o in zip(items, outcomes, strict=True)]
        return Response(BatchOutcomeSerializer(data, many=True).data)

    @action(detail=True, methods=["post"], filterset_class=None)
    def checkout(self, request: Request, pk: str | None = None) -> Response:
        checkin = self._visit(pk)
        data = self._body(CheckOutBody)
        self._call(lambda: services.check_out(actor=request.user, checkin=checkin, **data))
        return self._fresh(checkin.pk, status.HTTP_200_OK)

    @action(detail=True, methods=["post"], filterset_class=None)
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        checkin = self._visit(pk)
        upload = _upload(request)
        attachment = self._call(lambda: services.add_attachment(actor=request.user, checkin=checkin, upload=upload))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


def checkin_to_answer(pk: int) -> CheckIn:
    """A stored check-in read afresh with what ``render_checkin`` shows (a replay's answer, an update's)."""
    return CheckInViewSet().tune_queryset(CheckIn.objects.filter(pk=pk)).get()


def _upload(request: Request) -> Any:
    """The uploaded file: a multipart ``file``, or a JSON body's base64 content (the offline queue's form)."""
    if "file" in request.FILES:
        return request.FILES["file"]
    if request.content_type.startswith("multipart/"):
        raise serializers.ValidationError({"file": ["请选择要上传的文件。"]})
    body = AttachmentJsonBody(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        data = base64.b64decode(body.validated_data["content_base64"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise serializers.ValidationError({"content_base64": ["不是有效的 Base64 内容。"]}) from exc
    return SimpleUploadedFile(body.validated_data["name"], data)


def _service_fields(body: dict[str, Any]) -> dict[str, Any]:
    """A validated check-in body as record_checkin's keyword arguments (the code, else the id)."""
    data = dict(body)
    code, pk = data.pop("enterprise_code", None), data.pop("enterprise", None)
    data["enterprise"] = code or pk
    data.setdefault("idempotency_key", "")
    return data


def _outcome(item: dict[str, Any], outcome: services.Outcome, rows: dict[int, CheckIn]) -> dict[str, Any]:
    row = rows.get(outcome.checkin.pk) if outcome.checkin else None
    kind = "refused" if outcome.error else ("created" if outcome.created else "replayed")
    return {"idempotency_key": item["idempotency_key"], "outcome": kind, "checkin": row, "detail": outcome.error}
