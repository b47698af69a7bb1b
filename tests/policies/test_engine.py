"""The pure parts: Markdown sanitising, diffs, audience rules and rates."""

import pytest

from ramparts.policies.engine.audience import Audience, PersonRow, rates, rates_by_department
from ramparts.policies.engine.diff import diff_lines
from ramparts.policies.engine.markdown import render


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[x](javascript:alert(1))", 'href="javascript'),
        ("[x](JaVaScRiPt:alert(1))", "href="),
        ("[x](vbscript:msgbox(1))", "href="),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href="),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "<img"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ('<a href="https://x" onclick="alert(1)">x</a>', "<a "),
        ("<iframe src=https://evil></iframe>", "<iframe"),
        ('<div style="background:url(javascript:alert(1))">x</div>', "<div"),
        ('[x](https://ok.example "t" onmouseover=alert(1))', "<a "),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ("[a](<javascript:alert(1)>)", 'href="javascript'),
        ("[a](&#106;avascript:alert(1))", 'href="'),
    ],
)
def test_hostile_markdown_is_neutralised(text, forbidden):
    html = render(text)
    assert forbidden not in html.lower()


def test_ordinary_markdown_renders():
    html = render("# Rules\n\n**Bold** and *it*\n\n- a\n- b\n\n| x | y |\n|:-|-:|\n| 1 | 2 |\n\n[doc](https://e.org)")
    assert "<h2>Rules</h2>" in html and "<strong>Bold</strong>" in html and "<li>a</li>" in html
    assert "<table>" in html and "style=" not in html
    assert '<a href="https://e.org" rel="noopener noreferrer nofollow">doc</a>' in html


def test_huge_text_is_cut_not_choked_on():
    assert len(render("a" * 1_000_000)) < 250_000


def test_diff_marks_lines_and_trims_context():
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten") + "\nline 20"
    diff = diff_lines(old, new, context=1)
    assert (diff.added, diff.removed) == (2, 1)
    ops = [line.op for line in diff.lines]
    assert ops.count("gap") == 2 and "removed" in ops
    assert [line.text for line in diff.lines if line.op == "added"] == ["line ten", "line 20"]
    assert not diff_lines("same", "same").changed


def test_audience_and_rates():
    everyone = Audience(frozenset(), frozenset())
    retail_employees = Audience(frozenset({1}), frozenset({"employee"}))
    people = [
        PersonRow(1, 1, "Sales", 10, "employee"),
        PersonRow(2, 1, "Sales", None, None),  # no account: an employee
        PersonRow(3, 1, "IT", 11, "analyst"),
        PersonRow(4, 2, "IT", 12, "employee"),
    ]
    result = rates({1: everyone, 2: retail_employees}, people, {(1, 10), (1, 12), (2, 10), (2, 12)})
    assert (result[1].addressed, result[1].acknowledged, result[1].percent) == (4, 2, 50.0)
    assert (result[2].addressed, result[2].acknowledged, result[2].missing) == (2, 1, 1)
    by_dept = rates_by_department(everyone, people, {10, 11})
    assert {d: (r.addressed, r.acknowledged) for d, r in by_dept.items()} == {"IT": (2, 1), "Sales": (2, 1)}
    assert rates({3: everyone}, [], set())[3].percent is None
