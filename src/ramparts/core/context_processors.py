from django.conf import settings


def ramparts(request):
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.DEMO_MODE,
        "can": _Can(user),
    }


class _Can:
    """`{% if can.inventory_change %}` in templates: dots become underscores."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name: str) -> bool:
        from ramparts.core.permissions import user_can

        return user_can(self._user, name.replace("_", ".", 1))
