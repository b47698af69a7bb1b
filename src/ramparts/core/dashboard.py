"""The home dashboard's widgets. Each module registers its own; the home page renders them in order.

A module registers in its `dashboard.py` (found by `autodiscover`, like Django's admin):

    from ramparts.core.dashboard import Widget, register
    register(Widget(key="vulns", title="Vulnerabilities", template="vulns/_widget.html",
                    context=vuln_summary, action="vulns.view", order=20))

A widget whose `context` is None is a placeholder: a clearly marked slot for a module that is not
installed yet. Registering a real widget with the same key replaces the placeholder.
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
    template: str = "core/_widget_placeholder.html"
    context: Callable[[Any], dict[str, Any]] | None = None  # called with the user
    action: str = "dashboard.view"  # the user needs this to see the widget
    order: int = 100
    wide: bool = False
    description: str = ""  # for placeholders: what the module will show here

    @property
    def placeholder(self) -> bool:
        return self.context is None


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
        context = widget.context(user) if widget.context else {}
        shown.append(RenderedWidget(widget, context))
    return shown


# Slots for the modules that follow the inventory. Each module replaces its own.
for _key, _title, _order, _text in (
    ("vulns", "Vulnerabilities", 50, "Open findings by priority, SLA breaches and KEV matches on your systems."),
    ("risks", "Risks", 60, "Top risks against appetite, treatments due and expiring risk acceptances."),
    ("compliance", "Compliance", 70, "Control coverage per framework (NIST CSF 2.0) and open gaps."),
    ("incidents", "Incidents", 80, "Open incidents by phase, notification clocks and MTTx trends."),
):
    register(Widget(key=_key, title=_title, order=_order, description=_text))
