"""User text: Markdown rendered to HTML that keeps formatting and never scripts (pure)."""

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}


def render_markdown(text: str) -> str:
    """Return safe HTML for Markdown `text` written by a user."""
    html = markdown.markdown(text or "", extensions=[], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener")
