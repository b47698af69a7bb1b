from django import template

register = template.Library()


@register.filter
def hours(value) -> str:
    """A duration in hours for people: 45 min, 5.5 h, 3.2 d."""
    if value is None:
        return "—"
    value = float(value)
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


@register.filter
def remaining(td) -> str:
    """A signed timedelta as 'in 2 d 03:04' or '5 h 02 min late' (the server's rendering; JS keeps it live)."""
    if td is None:
        return ""
    seconds = int(td.total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m = rest // 60
    text = (f"{days} d " if days else "") + f"{h} h {m:02d} min"
    return f"{text} late" if late else f"{text} left"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


# The incident page lists up to hundreds of tasks and timeline entries. Rendering each through the
# template engine costs ~1 ms per task; these tags build the same markup with format_html (every value
# escaped), which keeps a 200-task, 5,000-entry incident within the page budget (bench/bench_incidents.py).


def _when(value, zone, fmt: str = "%-d %b, %H:%M") -> str:
    return value.astimezone(zone).strftime(fmt) if value else ""


@register.simple_tag(takes_context=True)
def incident_tasks(context, tasks, incident_ref: str, manage: bool, statuses, now):
    """Every task with its checklist and, for those who may manage, its form. Each value goes through escape()."""
    from django.urls import reverse
    from django.utils import timezone as tz
    from django.utils.html import escape as e
    from django.utils.safestring import mark_safe

    zone = tz.get_current_timezone()
    csrf = e(context.get("csrf_value", ""))
    base = e(reverse("incidents:detail", args=[incident_ref]))
    disabled = "" if manage else " disabled"
    parts = []
    for t in tasks:
        overdue = bool(t.due_at and t.is_open and t.due_at < now)
        badge = "badge-ok" if t.status == "done" else ("badge-danger" if overdue else "badge-muted")
        owner = t.owner.username if t.owner else ""
        meta = " · ".join(
            x
            for x in (
                t.get_phase_display() if t.phase else "",
                f"owner {owner or 'none'}",
                f"due {_when(t.due_at, zone)}" if t.due_at else "",
                f"playbook {t.playbook}" if t.playbook else "",
            )
            if x
        )
        items = "".join(
            f'<li><label><input type="checkbox" name="done" value="{i.pk}"{" checked" if i.done else ""}{disabled}> '
            f"{e(i.text)}</label></li>"
            for i in t.checklist_items
        )
        n, ref = t.number, e(t.ref)
        html = (
            f'<article class="incident-task task-{e(t.status)}" id="task-{n}">'
            + (f'<form method="post" action="{base}tasks/{n}/" class="task-form">'
               f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
               '<input type="hidden" name="checklist" value="1">' if manage else "")
            + f'<header><strong>{ref} {e(t.title)}</strong> <span class="badge {badge}">'
            f'{"overdue · " if overdue else ""}{e(t.get_status_display())}</span></header>'
            f'<small class="muted">{e(meta)}</small>'
            + (f'<ul class="plain checklist">{items}</ul>' if items else "")
        )  # fmt: skip
        if manage:
            options = "".join(
                f'<option value="{e(value)}"{" selected" if value == t.status else ""}>{e(label)}</option>'
                for value, label in statuses
            )
            html += (
                '<div class="inline-form">'
                f'<label for="id_task_{n}_status" class="visually-hidden">Status of {ref}</label>'
                f'<select id="id_task_{n}_status" name="status">{options}</select>'
                f'<label for="id_task_{n}_owner" class="visually-hidden">Owner of {ref}</label>'
                f'<input id="id_task_{n}_owner" name="owner" list="people-list" value="{e(owner)}" '
                'placeholder="owner (username)" size="12">'
                f'<button type="submit" class="small-button" id="task-{n}-save">Save</button></div></form>'
            )  # fmt: skip
        parts.append(html + "</article>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


@register.simple_tag
def timeline_entries(entries, pin_form: str = ""):
    from django.utils import timezone as tz
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    zone = tz.get_current_timezone()
    parts = []
    for e in entries:
        author = f"{e.author.username}, " if e.author else ""
        pin = (
            format_html(
                ' <button type="submit" form="{}" name="entry" value="{}:{}" class="link-button">{}</button>',
                pin_form,
                e.pk,
                "0" if e.pinned else "1",
                "unpin" if e.pinned else "pin",
            )  # fmt: skip
            if pin_form
            else ""
        )
        text = format_html_lines(e.text)
        parts.append(
            format_html(
                '<li class="timeline-{}{}" id="entry-{}"><time datetime="{}">{}</time> '
                '<span class="badge badge-muted">{}</span> {} <small class="muted">{}written {}</small>{}</li>',
                e.kind,
                " timeline-pinned" if e.pinned else "",
                e.pk,
                e.occurred_at.isoformat(),
                _when(e.occurred_at, zone, "%-d %b %Y, %H:%M"),
                e.get_kind_display(),
                text,
                author,
                _when(e.written_at, zone),
                pin,
            )  # fmt: skip
        )
    if not parts:
        return mark_safe('<ol class="plain incident-timeline"><li class="muted">Nothing yet.</li></ol>')
    return mark_safe('<ol class="plain incident-timeline">' + "".join(parts) + "</ol>")  # noqa: S308 -- format_html parts


def format_html_lines(text: str):
    """Escaped text with its line breaks kept as <br>."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 -- escaped first
