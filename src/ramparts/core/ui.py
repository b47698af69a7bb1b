"""Small helpers the web views share: domain errors to HTTP, pagination, safe CSV cells."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.http import urlencode

from ramparts.core.errors import NotFound, PermissionDenied

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


def domain_errors(view: Callable) -> Callable:
    """NotFound -> 404 and PermissionDenied -> 403, with the project's error pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from None
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc)) from None

    return wrapper


@dataclass
class Pagination:
    page: Page
    page_size: int
    window: list[int | None]  # page numbers to show; None is a gap ("…")
    base_query: str  # the current query string without page, to build links

    @property
    def count(self) -> int:
        return self.page.paginator.count


def paginate(request, queryset, *, default_size: int = DEFAULT_PAGE_SIZE) -> Pagination:
    try:
        size = int(request.GET.get("page_size") or default_size)
    except ValueError:
        size = default_size
    if size not in PAGE_SIZES:
        size = default_size
    paginator = Paginator(queryset, size)
    known = getattr(queryset, "known_count", None)
    if known is not None:
        paginator.count = known  # the producer counted already (a cached_property: no query then)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return Pagination(page, size, page_window(page.number, paginator.num_pages), params.urlencode())


def page_window(current: int, last: int, around: int = 2) -> list[int | None]:
    """[1, None, 4, 5, 6, 7, 8, None, 20]: first, last and a few around the current page."""
    if last <= 1:
        return [1] if last == 1 else []
    wanted = {1, last, *range(max(1, current - around), min(last, current + around) + 1)}
    window: list[int | None] = []
    previous = 0
    for n in sorted(wanted):
        if n - previous > 1:
            window.append(None)
        window.append(n)
        previous = n
    return window


def query_without(request, *names: str, **overrides: Any) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    for key, value in overrides.items():
        params[key] = value
    return params.urlencode()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value for a CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(values: Iterable[Any]) -> list[str]:
    return [csv_cell(v) for v in values]


def encode_params(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
