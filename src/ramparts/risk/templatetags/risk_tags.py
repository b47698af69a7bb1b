"""Money and probabilities as the risk pages show them."""

from django import template

from ramparts.core import charts

register = template.Library()


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return "—"
    return charts.money(float(value))


@register.filter
def pct(value) -> str:
    if value is None or value == "":
        return "—"
    return charts.percent(float(value))
