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
