"""Evidence: files stored under the data directory by their SHA-256, or links.

Files are streamed to disk while hashed, refused above the size limit (nothing stored), refused when
they are executables, and only ever served as attachments (see views/evidence.py for the headers).
"""

import datetime as dt
import hashlib
import mimetypes
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction

from ramparts.compliance.models import AssessmentResult, Evidence
from ramparts.compliance.refs import next_number
from ramparts.compliance.selectors import assessment_get, control_get
from ramparts.compliance.services._common import record
from ramparts.core import audit
from ramparts.core.errors import Conflict, NotFound, Problem, ValidationFailed
from ramparts.core.permissions import require

CHUNK = 1 << 16
# Programs and scripts a browser or desktop would run: never accepted as evidence.
REFUSED_EXTENSIONS = frozenset(
    {
        ".exe",
        ".dll",
        ".scr",
        ".com",
        ".msi",
        ".msp",
        ".bat",
        ".cmd",
        ".ps1",
        ".psm1",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".hta",
        ".lnk",
        ".jar",
        ".apk",
        ".app",
        ".cpl",
        ".reg",
        ".pif",
        ".gadget",
        ".so",
        ".dylib",
        ".elf",
    }
)
REFUSED_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
# Types served with their own Content-Type (still as attachments); anything else is octet-stream,
# so that HTML, SVG or XML can never be rendered in the application's origin.
PASSIVE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "text/plain",
        "text/csv",
        "application/json",
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)


def max_bytes() -> int:
    return int(getattr(settings, "RAMPARTS_EVIDENCE_MAX_BYTES", settings.RAMPARTS_MAX_UPLOAD_BYTES))


def store_dir() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def path_of(sha256: str) -> Path:
    return store_dir() / sha256[:2] / sha256


def served_type(file_name: str) -> str:
    guessed = mimetypes.guess_type(file_name)[0] or ""
    return guessed if guessed in PASSIVE_TYPES else "application/octet-stream"


def _safe_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:255] or "evidence"


def _store(chunks: Iterable[bytes], file_name: str) -> tuple[str, int]:
    """Stream to a temporary file beside the store, hashing; move into place by hash."""
    limit = max_bytes()
    directory = store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    first = b""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                if not first:
                    first = chunk[:8]
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        "Evidence file too large.",
                        [Problem(f"{file_name} is over the {limit // (1024 * 1024)} MiB limit", column="file")],
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationFailed("Empty evidence file.", [Problem(f"{file_name} is empty", column="file")])
        if first.startswith(REFUSED_MAGIC):
            raise ValidationFailed(
                "Executable files are not accepted as evidence.",
                [Problem(f"{file_name} is a program", column="file")],
            )
        sha = digest.hexdigest()
        target = path_of(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        return sha, size
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _chunks(upload: Any) -> Iterable[bytes]:
    if isinstance(upload, bytes | bytearray):
        yield bytes(upload)
    elif hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
    else:
        while chunk := upload.read(CHUNK):
            yield chunk


def _target(actor, *, control: str | None, assessment: str | None, requirement: str | None):
    """The control and/or assessment result the evidence is for, and the unit it belongs to."""
    if not control and not assessment:
        raise ValidationFailed(
            "Evidence must be for a control or an assessment requirement.",
            [Problem("name a control, or an assessment and a requirement", column="control")],
        )
    control_obj = control_get(actor, ref=control) if control else None
    result = None
    if assessment:
        assessment_obj = assessment_get(actor, ref=assessment)
        if not requirement:
            raise ValidationFailed(
                "Which requirement?", [Problem("is required with an assessment", column="requirement")]
            )
        result = (
            AssessmentResult.objects.filter(assessment=assessment_obj, requirement__identifier=requirement.strip())
            .select_related("requirement")
            .first()
        )
        if result is None:
            raise NotFound(f"No requirement {requirement!r} in {assessment_obj.ref}.")
        if assessment_obj.state == assessment_obj.State.SIGNED_OFF:
            raise Conflict(f"{assessment_obj.ref} is signed off: its evidence can no longer change.")
    unit = control_obj.business_unit if control_obj else result.assessment.business_unit  # type: ignore[union-attr]
    return control_obj, result, unit


def evidence_add(
    *,
    actor,
    title: str,
    file: Any = None,
    file_name: str = "",
    url: str = "",
    description: str = "",
    expires_on: dt.date | None = None,
    control: str | None = None,
    assessment: str | None = None,
    requirement: str | None = None,
) -> Evidence:
    """Collect evidence (auditors may): exactly one of `file` (bytes, an upload or a stream) and `url`."""
    require(actor, "compliance.evidence")
    problems = []
    title = (title or "").strip()
    if not title or len(title) > 200:
        problems.append(Problem("a title of 1 to 200 characters is required", column="title"))
    if (file is None) == (not url):
        problems.append(Problem("give either a file or a link", column="file"))
    name = _safe_name(file_name or getattr(file, "name", "") or "")
    if file is not None and Path(name).suffix.lower() in REFUSED_EXTENSIONS:
        problems.append(Problem(f"{name}: programs and scripts are not accepted as evidence", column="file"))
    if url:
        parsed = urlparse(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 1000:
            problems.append(Problem("a link must be an http(s) URL of at most 1000 characters", column="url"))
    if problems:
        raise ValidationFailed("Invalid evidence.", problems)
    control_obj, result, unit = _target(actor, control=control, assessment=assessment, requirement=requirement)
    fields: dict[str, Any] = {}
    if file is not None:
        sha, size = _store(_chunks(file), name)
        fields = {"kind": Evidence.Kind.FILE, "file_name": name, "sha256": sha, "size": size}
        fields["content_type"] = served_type(name)
    else:
        fields = {"kind": Evidence.Kind.LINK, "url": url.strip()}
    with transaction.atomic():
        evidence = Evidence.objects.create(
            number=next_number(Evidence),
            business_unit=unit,
            title=title,
            description=description or "",
            expires_on=expires_on,
            collected_by=actor,
            control=control_obj,
            result=result,
            **fields,
        )
        after = audit.snapshot(evidence)
        if result is not None:
            after["requirement"] = f"{result.assessment.ref}:{result.requirement.identifier}"
        record(actor, audit.Action.CREATE, evidence, audit.created(after))
    return evidence


def evidence_open(evidence: Evidence):
    """The stored file, opened for reading (the caller has checked the evidence is visible)."""
    path = path_of(evidence.sha256)
    if evidence.kind != Evidence.Kind.FILE or not path.is_file():
        raise NotFound(f"{evidence.ref} has no stored file.")
    return path.open("rb")
