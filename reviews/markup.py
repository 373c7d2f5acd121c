"""Comments are plain text or a small, safe subset of Markdown: no markup of a comment ever runs anywhere."""

import markdown
import nh3
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
