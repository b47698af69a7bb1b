from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumber(PaginationBase):
    """`?page=N&page_size=M`, answering `{count, page, page_size, items}`.

    Counting a million-row table costs more than the page itself, so the count is exact and
    done once; callers keep their querysets index-friendly. A queryset's `known_count` attribute, set
    by a selector that counted another way (vulns: the column snapshot), is used instead."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)

    class Output(Schema):
        count: int
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, **params: Any) -> dict:  # type: ignore[override]
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "count": known if (known := getattr(queryset, "known_count", None)) is not None else queryset.count(),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": list(queryset[offset : offset + pagination.page_size]),
        }
