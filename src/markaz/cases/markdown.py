"""Markdown for case notes, rendered safely: raw HTML is escaped, the result sanitised.

Two layers on purpose: Python-Markdown is told not to pass HTML through (it becomes
visible text), and nh3 then keeps only a short list of tags and attributes, so a bug in
either layer alone does not let script into a colleague's browser.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_NOTE_CHARS = 20_000


def render_markdown(text: str) -> str:
    """HTML safe to mark as such in a template."""
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    # Raw HTML, as a block or inline, is not recognised: it stays text and is escaped.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html: str = md.convert(text[:MAX_NOTE_CHARS])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
