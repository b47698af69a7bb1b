"""The home dashboard's widgets. Each module registers its own; the home page renders them in order.

A module registers in its `dashboard.py` (found by `autodiscover`, like Django's admin):

    from ramparts.core.dashboard import Widget, register
    register(Widget(key="vulns", title="Vulnerabilities", template="vulns/_widget.html",
                    context=vuln_summary, action="vulns.view", order=20))

Registering a widget with a key already taken replaces the earlier one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from ramparts.core.permissions import user_can


@dataclass(frozen=True)
class Widget:
    key: str
    title: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # called with the user
    action: str = "dashboard.view"  # the user needs this to see the widget
    order: int = 100
    wide: bool = False
    description: str = ""


@dataclass(frozen=True)
class RenderedWidget:
    widget: Widget
    context: dict[str, Any]


_registry: dict[str, Widget] = {}
_discovered = False


def register(widget: Widget) -> Widget:
    _registry[widget.key] = widget
    return widget


def autodiscover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("dashboard")
        _discovered = True


def widgets_for(user) -> list[RenderedWidget]:
    autodiscover()
    shown = []
    for widget in sorted(_registry.values(), key=lambda w: (w.order, w.key)):
        if not user_can(user, widget.action):
            continue
        context = widget.context(user)
        shown.append(RenderedWidget(widget, context))
    return shown
