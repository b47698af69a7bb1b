"""Domain errors. Services raise these; adapters (views, API, CLI) turn them into responses."""

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of every error a person should read."""

    status = 400


class NotFound(DomainError):
    """Missing, or outside the acting user's business units: the two are indistinguishable."""

    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (line, column/field) and why."""

    reason: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason}


@dataclass
class ValidationFailed(DomainError):
    """Input was rejected; `problems` names every bad place, nothing was stored."""

    message: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  {p}" for p in self.problems)
