"""Policy text is Markdown written by people; it is rendered to HTML that can never run script.

Two layers, so that a gap in one is closed by the other: markdown-it-py with raw HTML disabled
(`<script>` becomes text) and its link validation (no javascript:, vbscript:, file: or data:),
then nh3 (the Rust `ammonia` sanitiser) with an allow-list of tags and attributes, http(s)/mailto
links only, and `rel="noopener noreferrer nofollow"` on every link. Images are shown as their
alt text: a policy does not need them, and a remote image is a read receipt.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# No style attributes: the page's CSP refuses inline styles (table alignment is lost, nothing else).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_TEXT = 200_000  # characters: far more than any policy; bounds the cost of rendering

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_parser.enable("strikethrough")


def _image_as_text(self, tokens, idx, options, env) -> str:
    return escapeHtml(tokens[idx].content)


_parser.add_render_rule("image", _image_as_text)


def render(text: str) -> str:
    """Markdown → sanitised HTML, safe to insert in a page as is."""
    tokens = _parser.parse((text or "")[:MAX_TEXT])
    for token in tokens:  # the page has its own h1: the text's headings start one level down
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
