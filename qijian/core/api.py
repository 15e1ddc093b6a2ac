"""Shared REST API pieces: pagination, role permissions, errors, schema hooks.

DRF imports this module (the default pagination class) while its own views load, so nothing here
may import rest_framework.views/viewsets at module level: viewsets live in qijian.core.api_views,
authentication in qijian.core.api_auth.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, relations
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

if TYPE_CHECKING:
    from rest_framework.views import APIView


class KeysetPagination(CursorPagination):
    """Cursor (keyset) pagination: constant cost on any page of a million rows."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# --- Permissions -----------------------------------------------------------------------------


class RolePermission(BasePermission):
    """Lets a signed-in user through when the user's role is in the resource's role set.

    ``read_roles`` apply to safe methods, ``write_roles`` to the others; subclasses (made by
    ``role_permission``) fill both. Which rows a permitted user sees is decided afterwards by
    ``restrict()`` in the view's queryset, so another department's row is a 404.
    """

    read_roles: frozenset[str] = frozenset()
    write_roles: frozenset[str] = frozenset()
    message = "您的角色无权访问此资源。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        roles = self.read_roles if request.method in SAFE_METHODS else self.write_roles
        return getattr(user, "role", None) in roles


def role_permission(name: str, *, read: Iterable[str], write: Iterable[str] = ()) -> type[RolePermission]:
    attrs = {"read_roles": frozenset(read), "write_roles": frozenset(write), "__module__": __name__}
    return type(name, (RolePermission,), attrs)


# --- Fields ------------------------------------------------------------------------------------


class SlugField(relations.SlugRelatedField):  # type: ignore[type-arg]
    """DRF's ``SlugRelatedField``, refusing a value with a NUL character as invalid (400) before the
    lookup: PostgreSQL cannot compare such text, so DRF's own field turned it into a server error."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


# --- Errors ------------------------------------------------------------------------------------


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler and error structure, with the messages that would reach users in English translated."""
    from rest_framework.views import exception_handler as drf_exception_handler  # DRF loads this module early

    response = drf_exception_handler(_translate(exc), context)
    if response is not None and response.status_code == 400 and isinstance(response.data, dict):
        response.data = {
            key: _flat(value) if isinstance(value, dict | list) else value for key, value in response.data.items()
        }
    return response


def _flat(value: Any, prefix: str = "") -> list[str]:
    """Nested errors (a list's items, a nested object's fields) as the flat list of strings the schema documents:
    {"0": ["不是合法选项。"]} → ["第1项:不是合法选项。"]."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _flat(v, f"{prefix}{_label(str(k))}:")]
    if isinstance(value, list):
        return [m for v in value for m in _flat(v, prefix)]
    return [f"{prefix}{value}"]


def _label(key: str) -> str:
    return f"第{int(key) + 1}项" if key.isdigit() else key


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # Django's message names the model in English
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_django_messages(exc))
    if isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith("JSON parse error"):
        return exceptions.ParseError("请求体不是有效的 JSON。")
    return exc


def _django_messages(exc: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return list(exc.messages)


# --- OpenAPI schema --------------------------------------------------------------------------

_ERROR_TEXT = {
    "400": "请求参数或内容不正确",
    "401": "未提供或无效的身份认证信息",
    "403": "无权执行该操作",
    "404": "对象不存在或不在您的可见范围内",
    "415": "请求体的媒体类型不受支持(请使用 application/json)",
}
_DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "错误说明"}},
    "required": ["detail"],
}
_VALIDATION_SCHEMA = {
    "type": "object",
    "description": "字段名 → 错误说明列表;non_field_errors 为整体错误;也可能只有 detail",
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the error bodies every operation can return."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = _DETAIL_SCHEMA
    schemas["ValidationErrors"] = _VALIDATION_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            _add_operation_errors(operation, method, has_path_params="{" in path)
    return result


def _add_operation_errors(operation: dict[str, Any], method: str, *, has_path_params: bool) -> None:
    responses = operation.setdefault("responses", {})
    codes = ["401", "403"]
    if operation.get("parameters") or method.lower() not in ("get", "delete"):
        codes.append("400")
    if has_path_params or any(p.get("name") == "cursor" for p in operation.get("parameters", [])):
        codes.append("404")  # unknown object, or a cursor that is not ours
    if "requestBody" in operation:
        codes.append("415")  # a body in a media type the endpoint does not parse (e.g. a broken multipart)
    for code in codes:
        ref = "ValidationErrors" if code == "400" else "ErrorDetail"
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
        responses.setdefault(code, {"description": _ERROR_TEXT[code], "content": content})
