"""Comments are plain text or a small, safe subset of Markdown: no markup of a comment ever runs anywhere."""

import html

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render_comment(body: str) -> SafeString:
    """Markdown to HTML, then sanitised by nh3 (Ammonia): scripts, handlers, styles and odd URLs are removed."""
    html = markdown.markdown(body, output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def comment_text(body: str, rendered: str | None = None) -> str:
    """A comment as plain text (its Markdown rendered, or the HTML stored with it, then the tags taken off): for
    spreadsheets and e-mails."""
    rendered = str(rendered or render_comment(body))
    rendered = rendered.replace("</p>", "</p>\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    return html.unescape(strip_tags(rendered)).strip()
