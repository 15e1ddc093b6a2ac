"""REST API of accounts: the user directory, the signed-in user, and password sign-in for a token."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qijian.accounts.choices import TWO_FACTOR_ROLES, Role
from qijian.accounts.models import User
from qijian.accounts.services import AccountError, issue_api_token
from qijian.core.api import role_permission
from qijian.core.api_views import ERROR_DETAIL, IdFilter, ScopedViewSet

USER_DIRECTORY_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.DEPT_ADMIN})
UserPermission = role_permission("UserPermission", read=USER_DIRECTORY_ROLES)


class UserSerializer(serializers.ModelSerializer[User]):
    full_name = serializers.CharField(source="first_name", read_only=True, label="姓名")
    role_label = serializers.CharField(read_only=True, label="角色名称")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "role",
            "role_label",
            "department",
            "enterprise",
            "inspector",
            "is_active",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label="角色")
    department = IdFilter(field_name="department_id", label="所属部门编号")
    is_active = django_filters.BooleanFilter(label="是否启用")

    class Meta:
        model = User
        fields = ["role", "department", "is_active"]


@extend_schema_view(list=extend_schema(summary="用户列表"), retrieve=extend_schema(summary="用户详情"))
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Accounts the user may see: sysadmin and secadmin all, a department admin its department's."""

    model = User
    serializer_class = UserSerializer
    filterset_class = UserFilter
    permission_classes = [UserPermission]

    @extend_schema(summary="当前用户", description="返回令牌或会话所属的用户本人。", filters=False)
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated], filterset_class=None)
    def me(self, request: Request) -> Response:
        return Response(self.get_serializer(request.user).data)


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(label="用户名", max_length=150)
    password = serializers.CharField(
        label="密码", max_length=128, style={"input_type": "password"}, trim_whitespace=False
    )


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "登录失败次数过多,该账号已被暂时锁定,请稍后再试或联系安全管理员。"
    default_code = "locked_out"


TOKEN_RESPONSE = inline_serializer("ApiToken", {"token": serializers.CharField(label="API 令牌")})


class ObtainTokenView(APIView):
    """Password sign-in for a token (phones), for roles without a second factor.

    Failed attempts count towards the lock-out like page sign-ins. Users of two-factor roles are
    refused: they get a token from their verified session or from an operator's
    ``manage.py issue_api_token``.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="用户名密码换取 API 令牌",
        request=TokenRequestSerializer,
        responses={
            200: TOKEN_RESPONSE,
            429: OpenApiResponse(ERROR_DETAIL, description="失败次数过多,账号暂被锁定"),
        },
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(request._request, **form.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            request._request.axes_locked_out = False  # type: ignore[attr-defined]  # answer in JSON, not the page
            raise LockedOut()
        if user is None:
            raise serializers.ValidationError({"non_field_errors": ["用户名或密码不正确,或账号已被锁定。"]})
        if user.role in TWO_FACTOR_ROLES:  # type: ignore[attr-defined]
            raise PermissionDenied("该角色须双因素认证:请在“我的账号”页面申请令牌,或由运维人员签发。")
        try:
            key = issue_api_token(actor=user, user=user)  # type: ignore[arg-type]
        except AccountError as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response({"token": key}, status=status.HTTP_200_OK)
