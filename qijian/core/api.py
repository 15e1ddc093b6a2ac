"""Shared REST API pieces."""

from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor (keyset) pagination: constant cost on any page of a million rows."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
