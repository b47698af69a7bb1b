"""Parse ahead: a large file is parsed and its findings prepared in a child process while this one stores them.

An import is two jobs of about the same weight: reading the file (parse, fingerprint, clip: pure
Python) and storing what it read (the row building and the database). One process does them one
after the other; with the reading in a child, they overlap on two cores (bench/bench_vulns.py).

The child is this module run as a program, with no Django and no database: it gets the file as an
inherited descriptor and its arguments as JSON on stdin, and writes frames to stdout:

    b"B" + length + pickle((items, bytes read))    a batch of prepared items (prepared.py)
    b"E" + length + pickle((message, format, position))    the file's ParseError; nothing follows
    b"D" + length + peak                           the end of the file; the child's peak memory (KiB)

Pickle is safe here: the frames are written by our own code in a child we started; the hostile
input (the file) only reaches the child's parser. Within a batch, equal strings (a CVE's
description, a package's version) go as one object and back-references: the parent's loads is
then ~3x cheaper, and it is the busier side. Its environment is only PYTHONPATH: no secret
reaches the process that reads untrusted files.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import pickle
import stat
import subprocess
import sys
from collections.abc import Callable, Generator
from contextlib import closing, suppress
from pathlib import Path
from typing import BinaryIO

from ramparts.vulns import parsers
from ramparts.vulns.importing.prepared import TEXTS, Item, preparer

BATCH = 5000
# Below this size the child's start (~0.2 s) costs more than the overlap gains.
AHEAD_MIN_BYTES = 32 << 20
_SOURCE_ROOT = str(Path(__file__).resolve().parents[3])  # the directory holding the ramparts package
_HEADER = 9  # kind (1 byte) + length (8 bytes, little-endian)

Batch = tuple[list[Item], int]
# The last child's peak resident memory (its VmHWM), for the benchmark's memory figure.
last_parser_peak_kib = 0


class ParserProcessFailed(RuntimeError):
    """The child stopped without saying why (killed, out of memory): not the file's fault."""


def batches(
    stream: BinaryIO, *, fmt: str, source: str, targets: bool, size: int, mostly_new: Callable[[list[Item]], bool]
) -> Generator[Batch, None, None]:
    """The file's findings, prepared, in batches of BATCH, each with the bytes read so far.

    A child reads a large file as long as `mostly_new(first batch)` says its findings are mostly
    not stored yet: storing rows is then the heavier job. A re-import mostly compares
    fingerprints, and the child's pickling would make it the slower side (measured at 1M findings:
    28-32 s with the child, 25-27 s without), so the file is then read again here, from the start,
    past the batch already given.

    Raises ParseError for anything the file does wrong, like parsers.parse."""
    descriptor = _descriptor(stream) if size >= AHEAD_MIN_BYTES else None
    start = stream.tell()
    child = _start(descriptor) if descriptor is not None else None
    if child is None:
        yield from _here(stream, fmt, source, targets, BATCH)
        return
    arguments = {"descriptor": descriptor, "offset": start, "format": fmt, "source": source, "targets": targets}
    with closing(_from_child(child, {**arguments, "batch": BATCH}, source)) as read:
        first = next(read, None)
        if first is None:
            return
        if mostly_new(first[0]):
            yield first
            yield from read
            return
    stream.seek(start)
    here = _here(stream, fmt, source, targets, BATCH)
    next(here)  # the batch given already
    yield first
    yield from here


def _here(stream: BinaryIO, fmt: str, source: str, targets: bool, size: int) -> Generator[Batch, None, None]:
    prepare = preparer(fmt, targets=targets)
    for batch in itertools.batched(parsers.parse(stream, format=fmt, source=source), size):
        yield [prepare(raw) for raw in batch], stream.tell()


def _descriptor(stream: BinaryIO) -> int | None:
    """The stream's descriptor when it is a regular file (a child can read it), else None."""
    try:
        descriptor = stream.fileno()
        return descriptor if stat.S_ISREG(os.fstat(descriptor).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None


def _start(descriptor: int) -> subprocess.Popen | None:
    """The child, reading `descriptor`; None when no process can be started (the file is read here)."""
    try:
        return subprocess.Popen(  # noqa: S603 - this interpreter, a fixed module
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            pass_fds=(descriptor,),
            env={"PYTHONPATH": _SOURCE_ROOT},
        )
    except OSError:
        return None


def _from_child(child: subprocess.Popen, arguments: dict, source: str) -> Generator[Batch, None, None]:
    try:
        assert child.stdin is not None and child.stdout is not None  # noqa: S101 - both are pipes
        with suppress(BrokenPipeError):  # a child that died at once: its exit status says more below
            child.stdin.write(json.dumps(arguments).encode())
            child.stdin.close()
        while True:
            kind, payload = _read_frame(child.stdout)
            if kind == b"B":
                yield pickle.loads(payload)  # noqa: S301 - our own child's frames (module docstring)
            elif kind == b"E":
                message, name, position = pickle.loads(payload)  # noqa: S301
                raise parsers.ParseError(message, source=source, format=name, position=position)
            elif kind == b"D":
                global last_parser_peak_kib  # noqa: PLW0603 - read by bench/bench_vulns.py only
                last_parser_peak_kib = int.from_bytes(payload, "little")
                return
            else:
                raise ParserProcessFailed(f"{source}: the parser process stopped (exit status {child.wait()})")
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            with suppress(OSError):
                pipe.close()  # type: ignore[union-attr]


def _read_frame(pipe) -> tuple[bytes, bytes]:
    header = pipe.read(_HEADER)
    if len(header) < _HEADER:
        return b"", b""
    length = int.from_bytes(header[1:], "little")
    payload = pipe.read(length)
    return (header[:1], payload) if len(payload) == length else (b"", b"")


def _write_frame(pipe, kind: bytes, payload: bytes = b"") -> None:
    pipe.write(kind + len(payload).to_bytes(8, "little"))
    pipe.write(payload)


def _shared(items: list[Item]) -> list[Item]:
    """The items with equal texts as one object (pickle then writes each once per batch).

    Only the texts: as dict keys, True, 1 and 1.0 are one key, and a bool column must stay a bool."""
    seen: dict[str, str] = {}
    one = seen.setdefault
    return [
        (
            fp,
            one(target, target),
            (*map(one, location, location),),
            (*map(one, texts := values[:TEXTS], texts), *values[TEXTS:]),
        )
        for fp, target, location, values in items
    ]


def _peak_kib() -> int:
    try:
        with open("/proc/self/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:  # not Linux
        return 0


def main() -> int:
    gc.disable()  # millions of short-lived objects and no cycles (see engine._collector_paused)
    arguments = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    with os.fdopen(arguments["descriptor"], "rb") as stream:
        stream.seek(arguments["offset"])
        try:
            read = _here(stream, arguments["format"], arguments["source"], arguments["targets"], arguments["batch"])
            for items, position in read:
                _write_frame(out, b"B", pickle.dumps((_shared(items), position), protocol=pickle.HIGHEST_PROTOCOL))
        except parsers.ParseError as exc:
            _write_frame(out, b"E", pickle.dumps((exc.message, exc.format, exc.position)))
            out.flush()
            return 0
    _write_frame(out, b"D", _peak_kib().to_bytes(8, "little"))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
