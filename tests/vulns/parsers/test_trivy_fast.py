"""The fast Trivy path (jsonsplit + msgspec) against the ijson path, the reference.

Both must give the same RawFindings, in the same order, on every layout; anything the splitter
does not recognise must still come out right (through ijson), and errors stay ParseErrors.
"""

from __future__ import annotations

import io
import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramparts.vulns.parsers import ParseError, jsonsplit, trivy
from ramparts.vulns.parsers.base import RawFinding

from ._scans import SCANS

SHARED = sorted(SCANS.glob("trivy/*.json")) if SCANS.is_dir() else []


def _fast(data: bytes, source: str = "t.json") -> list[RawFinding]:
    return list(trivy.parse(io.BytesIO(data), source=source))


def _reference(data: bytes, monkeypatch: pytest.MonkeyPatch, source: str = "t.json") -> list[RawFinding]:
    with monkeypatch.context() as m:
        m.setattr(trivy, "open_array", lambda *a, **k: None)
        return list(trivy.parse(io.BytesIO(data), source=source))


@pytest.fixture
def resumes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Offsets at which the fast path handed over to ijson."""
    seen: list[int] = []
    original = jsonsplit.ArrayScan._resume

    def spy(self: jsonsplit.ArrayScan, offset: int) -> Any:
        seen.append(offset)
        return original(self, offset)

    monkeypatch.setattr(jsonsplit.ArrayScan, "_resume", spy)
    return seen


def _vuln(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "VulnerabilityID": f"CVE-2024-{1000 + i}",
        "VendorIDs": ["DSA-1"] if i % 5 == 0 else None,
        "PkgName": f"lib{i % 7}",
        "PkgIdentifier": {"PURL": f"pkg:deb/debian/lib{i % 7}@1.{i}"},
        "InstalledVersion": f"1.{i}",
        "FixedVersion": "" if i % 2 else f"1.{i + 1}",
        "Status": ["fixed", "affected", "will_not_fix"][i % 3],
        "SeveritySource": "nvd",
        "Title": "" if i % 4 == 0 else f"issue {i}",
        "Description": f'd{i} \u00e9 "quoted" ,{{"Target": "not a cut"}}',
        "Severity": ["LOW", "MEDIUM", "HIGH", "CRITICAL", "UNKNOWN"][i % 5],
        "CweIDs": [f"CWE-{20 + i % 3}"],
        "CVSS": (
            {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "V3Score": 9.8}}
            if i % 3
            else {
                "ghsa": {"V3Vector": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"},
                "nvd": {"V40Vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
            }
        ),  # fmt: skip
        "References": [f"https://example.org/{i}"],
        **extra,
    }


def _doc(results: int = 6, per: int = 5, **top: Any) -> dict[str, Any]:
    return {
        "SchemaVersion": 2,
        "ArtifactName": "registry/app:1",
        "ArtifactType": "container_image",
        "Metadata": {"OS": {"Family": "debian"}, "RepoTags": ["app:1"]},
        "Results": [
            {
                "Target": f"registry/app:1 (debian 12.{r})" if r % 2 == 0 else f"app/lock{r}.json",
                "Class": "os-pkgs" if r % 2 == 0 else "lang-pkgs",
                "Type": "debian" if r % 2 == 0 else "npm",
                "Vulnerabilities": [_vuln(r * 100 + i) for i in range(per)],
            }
            for r in range(results)
        ],
        **top,
    }


LAYOUTS = {
    "minified": lambda d: orjson.dumps(d),
    "python-default": lambda d: json.dumps(d).encode(),
    "indent-2": lambda d: orjson.dumps(d, option=orjson.OPT_INDENT_2),
    "indent-4": lambda d: json.dumps(d, indent=4).encode(),
    "tabs": lambda d: json.dumps(d, indent="\t").encode(),
    "crlf": lambda d: json.dumps(d, indent=2).replace("\n", "\r\n").encode(),
    "trailing-newline-bom-free": lambda d: json.dumps(d, indent=2).encode() + b"\n\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_takes_the_fast_path_and_matches(layout, monkeypatch, resumes):
    data = LAYOUTS[layout](_doc())
    fast = _fast(data)
    assert len(fast) == 30 and not resumes
    assert fast == _reference(data, monkeypatch)


@pytest.mark.skipif(not SHARED, reason="shared scans not found")
@pytest.mark.parametrize("path", SHARED, ids=[p.name for p in SHARED])
def test_shared_trivy_files_match(path, monkeypatch):
    data = path.read_bytes()
    assert _fast(data) == _reference(data, monkeypatch)


def test_legacy_list_of_results_matches(monkeypatch, resumes):
    data = json.dumps(_doc()["Results"], indent=2).encode()
    assert _fast(data) == _reference(data, monkeypatch) and not resumes


def _hostile(name: str) -> bytes:
    doc = _doc()
    if name == "nested-target-objects":  # minified: ',{"Target"' inside an element (false cuts)
        doc["Results"][1]["Vulnerabilities"][0]["Layers"] = [{"Target": "a"}, {"Target": "b"}, {"Target": "c"}]
    elif name == "results-not-last":
        doc["Trailer"] = {"Results": [{"Target": "x", "Vulnerabilities": [_vuln(9)]}]}
    elif name == "nested-results-first":
        doc = {"Metadata": {"Results": [{"Target": "meta", "Vulnerabilities": [_vuln(1)]}]}, **doc}
    elif name == "duplicate-results":
        body = orjson.dumps(doc)
        extra = orjson.dumps([{"Target": "again", "Vulnerabilities": [_vuln(7)]}])
        return body[:-1] + b',"Results":' + extra + b"}"
    elif name == "results-object":
        doc["Results"] = {"item": {"Target": "odd", "Vulnerabilities": [_vuln(3)]}}
    elif name == "empty-results":
        doc["Results"] = []
    elif name == "odd-types":
        doc["Results"][2]["Vulnerabilities"][1]["VulnerabilityID"] = 12345
        doc["Results"][3]["Vulnerabilities"][0]["CVSS"] = "broken"
        doc["Results"][4]["Vulnerabilities"] = {"not": "a list"}
        doc["Results"].insert(1, None)
        doc["Results"][0]["Vulnerabilities"][2]["Title"] = None
    elif name == "artifact-type-after-results":  # bigger than the sniffed head, so not read from it
        del doc["ArtifactType"]
        doc["Results"] = doc["Results"] * 200
        doc["ArtifactType"] = "container_image"
    elif name == "artifact-type-absent":
        del doc["ArtifactType"]
        doc["Results"] = doc["Results"] * 200
    elif name == "misconfigurations-and-secrets":
        doc["Results"][0]["Misconfigurations"] = [{"ID": "DS002", "Status": "FAIL", "Severity": "HIGH"}]
        doc["Results"][1]["Secrets"] = [{"RuleID": "github-pat", "Severity": "CRITICAL", "StartLine": 3}]
    return orjson.dumps(doc)


HOSTILE = [
    "nested-target-objects",
    "results-not-last",
    "nested-results-first",
    "duplicate-results",
    "results-object",
    "empty-results",
    "odd-types",
    "artifact-type-after-results",
    "artifact-type-absent",
    "misconfigurations-and-secrets",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_layouts_match(name, monkeypatch):
    data = _hostile(name)
    assert _fast(data) == _reference(data, monkeypatch)


def test_false_cuts_are_merged_without_leaving_the_fast_path(monkeypatch, resumes):
    data = _hostile("nested-target-objects")
    assert data.count(b',{"Target"') > len(_doc()["Results"])
    assert _fast(data) == _reference(data, monkeypatch) and not resumes


def test_artifact_type_after_results_is_still_used(monkeypatch):
    (first, *_) = _fast(_hostile("artifact-type-after-results"))
    assert first.image == "registry/app:1"
    (first, *_) = _fast(_hostile("artifact-type-absent"))
    assert first.image == "registry/app:1"  # from the OS target, as when the type is absent


def test_result_larger_than_the_chunk(monkeypatch, resumes):
    monkeypatch.setattr(jsonsplit, "CHUNK", 4096)
    data = json.dumps(_doc(results=3, per=80), indent=2).encode()
    assert len(data) > 10 * 4096
    assert _fast(data) == _reference(data, monkeypatch) and not resumes


def test_result_larger_than_the_limit_goes_to_ijson(monkeypatch, resumes):
    monkeypatch.setattr(jsonsplit, "CHUNK", 4096)
    monkeypatch.setattr(jsonsplit, "MAX_ELEMENT", 8192)
    data = orjson.dumps(_doc(results=3, per=80))
    assert _fast(data) == _reference(data, monkeypatch) and resumes


def test_truncation_anywhere_raises_parse_error_with_a_position(monkeypatch):
    monkeypatch.setattr(jsonsplit, "CHUNK", 2048)  # cuts across chunk boundaries too
    data = json.dumps(_doc(results=4, per=3), indent=2).encode()
    for cut in range(1, len(data) - 1, max(1, len(data) // 150)):
        body = data[:cut]
        if not body.rstrip():
            continue
        with pytest.raises(ParseError) as err:
            _fast(body, source="cut.json")
        assert err.value.source == "cut.json" and err.value.format == "trivy", cut
        assert "byte" in err.value.position, (cut, err.value.position)


def test_garbage_after_the_document_is_an_error():
    with pytest.raises(ParseError) as err:
        _fast(orjson.dumps(_doc()) + b" {}", source="g.json")
    assert "byte" in err.value.position


def test_deep_nesting_before_results_is_refused():
    data = b'{"SchemaVersion":2,"Metadata":' + b"[" * 5000 + b"]" * 5000 + b',"Results":[]}'
    with pytest.raises(ParseError, match="nested"):
        _fast(data)


def test_deep_nesting_inside_a_result_is_refused():
    inner = b"[" * 3000 + b"]" * 3000
    data = b'{"SchemaVersion":2,"Results":[{"Target":"a","X":' + inner + b'},{"Target":"b"}]}'
    with pytest.raises(ParseError, match="nested"):
        _fast(data)


# ------------------------------------------------------------ random values in place of fields

values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
    | st.sampled_from(["", "CVE-2024-1234", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "HIGH", "os-pkgs"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)  # fmt: skip  # 64-bit integers but -2**63: ijson's parser (yajl) refuses those, msgspec reads them


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        out.append((*prefix, k))
        out.extend(_paths(v, (*prefix, k)))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), layout=st.sampled_from(["minified", "indent-2"]))
def test_random_values_give_the_same_findings(data, layout, monkeypatch):
    doc = _doc(results=3, per=2)
    paths = _paths(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier draw replaced a container on this path
        last = path[-1]
        fits = (isinstance(node, dict) and isinstance(last, str)) or (
            isinstance(node, list) and isinstance(last, int) and last < len(node)
        )
        if fits:
            node[last] = data.draw(values)
    body = LAYOUTS[layout](doc)
    try:
        expected: Any = _reference(body, monkeypatch)
    except ParseError:
        expected = ParseError
    try:
        got: Any = _fast(body)
    except ParseError:
        got = ParseError
    assert got == expected


def _type_after_results(padding: int) -> bytes:
    doc = _doc()
    del doc["ArtifactType"]
    doc["Results"] = doc["Results"] * 100  # larger than the sniffed head
    doc["ArtifactType"] = "container_image"
    doc["Padding"] = "y" * padding
    return orjson.dumps(doc)


def test_a_key_after_the_array_near_the_end_is_found(monkeypatch):
    monkeypatch.setattr(jsonsplit, "TAIL", 1024)
    data = _type_after_results(10)
    assert _fast(data) == _reference(data, monkeypatch)


def test_a_key_after_the_array_before_the_searched_tail_is_refused(monkeypatch):
    """Not Trivy's layout: rather an error than findings computed without the artifact's type."""
    monkeypatch.setattr(jsonsplit, "TAIL", 1024)
    with pytest.raises(ParseError, match="ArtifactType comes after the array"):
        _fast(_type_after_results(5000))


def test_a_key_name_nested_after_the_array_is_not_taken_for_the_member(monkeypatch):
    monkeypatch.setattr(jsonsplit, "TAIL", 1024)
    doc = _doc()
    del doc["ArtifactType"]
    doc["Results"] = doc["Results"] * 100
    doc["Other"] = {"ArtifactType": "repository", "pad": "x" * 5000}
    data = orjson.dumps(doc)
    assert _fast(data) == _reference(data, monkeypatch)
