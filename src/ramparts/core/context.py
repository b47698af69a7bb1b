"""Who is acting, through which channel, from where. Set once per request, command or task.

The audit trail reads it, so services need not thread the request through every call.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    UI = "ui"
    API = "api"
    CLI = "cli"
    TASK = "task"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class ActingContext:
    channel: Channel
    ip: str | None = None
    # Who acts when there is no user object (the CLI's operating-system user, a task's name).
    principal: str = ""


_SYSTEM = ActingContext(Channel.SYSTEM)
_current: ContextVar[ActingContext] = ContextVar("ramparts_acting_context", default=_SYSTEM)  # noqa: B039


def current() -> ActingContext:
    return _current.get()


@contextmanager
def acting(channel: Channel, ip: str | None = None, principal: str = "") -> Iterator[ActingContext]:
    ctx = ActingContext(channel=channel, ip=ip, principal=principal)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_for_request(channel: Channel, ip: str | None) -> object:
    return _current.set(ActingContext(channel=channel, ip=ip))


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
