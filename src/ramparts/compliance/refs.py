"""Human references of compliance objects (CTL-12, ASM-3, EVD-40, PRF-2) and of requirements
("nist-cybersecurity-framework-2-0:GV.OC-01": a framework's slug and the requirement's identifier)."""

from django.db import connection, models
from django.db.models import Max

from ramparts.core.errors import NotFound, Problem, ValidationFailed

_LOCK_KEYS = {"control": 75_001, "evidence": 75_002, "assessment": 75_003, "csfprofile": 75_004}


def parse_ref(ref: str, prefix: str) -> int:
    """ "CTL-12" (any case, spaces ignored) -> 12; anything else is NotFound."""
    text = (ref or "").strip().upper()
    head, _, number = text.partition("-")
    if head != prefix or not number.isdigit():
        raise NotFound(f"No such {prefix} reference: {ref!r}.")
    return int(number)


def next_number(model: type[models.Model]) -> int:
    """max+1 inside the writing transaction; on PostgreSQL an advisory lock serialises writers."""
    assert connection.in_atomic_block, "next_number must run inside the writing transaction"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[model._meta.model_name or ""]])
    return (model._default_manager.aggregate(m=Max("number"))["m"] or 0) + 1


def requirement_ref(framework_slug: str, identifier: str) -> str:
    return f"{framework_slug}:{identifier}"


def resolve_requirements(refs: list[str], *, field: str = "requirements") -> list:
    """["nist-cybersecurity-framework-2-0:GV.OC-01", ...] -> assessable Requirement objects, in the order given.
    Every unknown reference is named in one ValidationFailed."""
    from ramparts.frameworks.models import Requirement

    wanted: list[tuple[str, str]] = []
    problems = []
    for ref in refs:
        slug, sep, identifier = (ref or "").strip().partition(":")
        if not sep or not slug or not identifier:
            problems.append(Problem(f"{ref!r} is not framework-slug:identifier", column=field))
            continue
        wanted.append((slug, identifier.strip()))
    slugs = {s for s, _ in wanted}
    found = {
        (r.framework.slug, r.identifier): r
        for r in Requirement.objects.filter(framework__slug__in=slugs, identifier__in={i for _, i in wanted})
        .select_related("framework")
        .only("id", "identifier", "assessable", "framework__slug")
    }
    result = []
    for slug, identifier in wanted:
        requirement = found.get((slug, identifier))
        if requirement is None:
            problems.append(Problem(f"no requirement {identifier!r} in framework {slug!r}", column=field))
        elif not requirement.assessable:
            problems.append(
                Problem(f"{identifier} in {slug} is a heading, not an assessable requirement", column=field)
            )
        elif requirement not in result:
            result.append(requirement)
    if problems:
        raise ValidationFailed("Unknown requirements.", problems)
    return result
