"""Template helpers of the inventory pages, written for speed: list pages render them per row."""

from functools import cache

from django import template
from django.db.models import Model

register = template.Library()


@cache
def _labels(model: type[Model], field: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}  # type: ignore[union-attr]


@register.filter
def label(obj: Model, field: str) -> str:
    """`{{ row|label:"kind" }}`: the display label of a choice field, like get_kind_display, without
    rebuilding the choices on every call."""
    value = getattr(obj, field)
    return _labels(type(obj), field).get(value, value)
