"""Renders the API reference (docs/api.md) from the live OpenAPI schema, so the two cannot drift.

`./run docs` rewrites the file; a test fails when it is out of date."""

from pathlib import Path

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def render_markdown(schema: dict) -> str:
    lines = [
        "# API reference",
        "",
        "Generated from the OpenAPI schema by `./run docs`; do not edit by hand.",
        "",
        f"{schema['info']['title']} {schema['info']['version']}. Base path `/api/v1`. Interactive docs at "
        "`/api/v1/docs`, the schema itself at `/api/v1/openapi.json`.",
        "",
        "Authenticate with a personal token (`Authorization: Bearer rp_…`, created under *Account → API tokens*) "
        "or a browser session (unsafe methods then need the `X-CSRFToken` header). Lists take `page` and "
        "`page_size` (at most 500) and answer `{count, page, page_size, items}`. Errors answer "
        '`{"detail": …}`, and rejected input also `"problems": [{line, column, reason}]`.',
        "",
    ]
    by_tag: dict[str, list[tuple[str, str, dict]]] = {}
    for path, operations in schema["paths"].items():
        for method in HTTP_METHODS:
            if method in operations:
                op = operations[method]
                by_tag.setdefault((op.get("tags") or ["other"])[0], []).append((method, path, op))
    for tag in sorted(by_tag):
        lines += [f"## {tag}", "", "| method | path | what |", "|---|---|---|"]
        for method, path, op in by_tag[tag]:
            summary = (op.get("summary") or op.get("operationId", "")).replace("|", "\\|")
            lines.append(f"| {method.upper()} | `{path}` | {summary} |")
        lines.append("")
    return "\n".join(lines)


def write(path: Path) -> None:
    from ramparts.api import api

    path.write_text(render_markdown(api.get_openapi_schema()))
