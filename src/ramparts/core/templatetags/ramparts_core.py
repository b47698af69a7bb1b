"""Template tags shared by every app: an object's history, audit values, pagination links."""

from typing import Any

from django import template

from ramparts.core.audit import object_type_of
from ramparts.core.selectors import object_history

register = template.Library()


@register.inclusion_tag("core/_history.html", takes_context=True)
def history(context, obj, limit: int = 50) -> dict[str, Any]:
    """The audit entries of an object the view has already fetched through its selector."""
    entries = object_history(object_type_of(obj), str(obj.pk), limit=limit)
    return {
        "entries": entries,
        "limit": limit,
        "object_type": object_type_of(obj),
        "object_id": obj.pk,
        "can": context.get("can"),
    }


@register.filter
def audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(audit_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {audit_value(v)}" for k, v in value.items()) or "—"
    text = str(value)
    return text.replace("\n", ", ")


@register.filter
def field_label(name: str) -> str:
    return name.replace("_", " ")


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """A link to another page of the current list, keeping the filters."""
    pagination = context["pagination"]
    base = pagination.base_query
    return f"?{base}&page={number}" if base else f"?page={number}"


@register.simple_tag(takes_context=True)
def sort_url(context, key: str) -> str:
    """A column header link: sort by this key, or reverse it when already sorted by it."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_class(context, key: str) -> str:
    current = context["request"].GET.get("sort", "")
    if current == key:
        return "sorted"
    if current == f"-{key}":
        return "sorted desc"
    return ""


@register.filter
def object_type_label(object_type: str) -> str:
    from ramparts.core.forms import OBJECT_TYPE_LABELS

    return OBJECT_TYPE_LABELS.get(object_type) or object_type
