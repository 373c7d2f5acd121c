"""A long report laid out in parts by several workers at once, then merged into one PDF (reports.tasks).

The report's HTML is cut at its chapters, which each begin a page: the front (cover, contents, summary, method),
each support area, the tables after them, and the annexes. A first pass lays out each part alone to count its
pages and find its anchors; the second lays each out again knowing where it starts and how many pages the whole
has (its page numbers, the contents' page references) and writes its PDF; the parts are then joined with pypdf,
with the bookmarks of the whole and the contents' links. The merged PDF reads, page by page, as the report laid
out in one piece (tests/reports/test_split_reports.py)."""

import io

import lxml.html
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit

from reports.services import html_to_document

PX = 0.75  # points per CSS pixel: WeasyPrint's positions are in CSS pixels from the page's top left


def _body_children(tree) -> list:
    return [child for child in tree.body if isinstance(child.tag, str)]


def part_ranges(html: str) -> list[tuple[int, int]]:
    """The parts, as ranges of the body's top-level elements: the front, each area, the rest, the annexes."""
    children = _body_children(lxml.html.fromstring(html))
    starts = [0]
    for n, child in enumerate(children):
        classes = set((child.get("class") or "").split())
        after_area = n > 0 and "area" in (children[n - 1].get("class") or "").split()
        if n and ("area" in classes or (after_area and "area" not in classes) or child.get("id") == "annex"):
            starts.append(n)
    starts = sorted(set(starts))
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(children)], strict=True) if end > start]


def part_html(html: str, span: tuple[int, int], *, offset: int = 0, total: int = 0, refs: dict | None = None) -> str:
    """The report's HTML with only the top-level elements of `span`; with the second pass's `offset` (pages
    before this part), `total` (pages of the whole) and `refs` (anchor: page number, for the contents)."""
    tree = lxml.html.fromstring(html)
    running = _running_strings(tree)
    for n, child in enumerate(_body_children(tree)):
        if not span[0] <= n < span[1]:
            tree.body.remove(child)
    style = lxml.html.Element("style")
    # The first pass counts pages: the contents' page references (to other parts) are left empty.
    style.text = '.contents a::after { content: leader("."); }\n'
    if not tree.body.find_class("cover"):  # the running headers, which the cover sets, given as they read
        boxes = " ".join(f"@{box} {{ content: {_css_string(text)}; }}" for box, text in running.items())
        style.text += f"@page {{ {boxes} }}\n"
    if total:
        style.text += (
            f'@page {{ @bottom-right {{ content: counter(page) " / {total}"; }} }}\n'
            f"@page :first {{ counter-reset: page {offset + 1}; }}\n"
            '.contents a[data-page]::after { content: leader(".") attr(data-page); }\n'
        )
    tree.head.append(style)
    if total:
        for link in tree.body.iterfind(".//nav[@class='contents']//a"):
            anchor = (link.get("href") or "").lstrip("#")
            if refs and anchor in refs:
                link.set("data-page", str(refs[anchor]))
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _running_strings(tree) -> dict[str, str]:
    """What the cover sets for the running headers (report.css: string-set), by the margin box showing it."""

    def text(elements) -> str:
        return " ".join(elements[0].text_content().split()) if elements else ""

    facts = tree.body.find_class("cover-facts")
    return {
        "top-left": text(tree.body.find_class("cover-title")),
        "top-right": text(tree.body.find_class("cover-state")),
        "bottom-left": text(facts[0].findall("dd") if facts else []),
    }


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def count(html: str, span: tuple[int, int]) -> dict:
    """First pass: the part's number of pages and its anchors (name: page index in the part, x, y)."""
    document = html_to_document(part_html(html, span))
    anchors = {}
    for n, page in enumerate(document.pages):
        for name, position in page.anchors.items():
            anchors.setdefault(name, [n, position[0], position[1]])  # an element over several pages: its first
    return {"pages": len(document.pages), "anchors": anchors}


def render(html: str, span: tuple[int, int], *, offset: int, total: int, anchors: dict) -> tuple[bytes, dict]:
    """Second pass: the part's PDF, and what the merge needs of it: its bookmarks and its links to anchors of
    other parts (whose pages WeasyPrint cannot know)."""
    refs = {name: page + 1 for name, (page, _x, _y) in anchors.items()}
    document = html_to_document(part_html(html, span, offset=offset, total=total, refs=refs))
    own = {name for page in document.pages for name in page.anchors}
    bookmarks, links = [], []
    for n, page in enumerate(document.pages):
        bookmarks += [[level, label, n, *position] for level, label, position, _state in page.bookmarks]
        elsewhere = [link for link in page.links if link[0] == "internal" and link[1] not in own]
        links += [[n, target, *rectangle] for _kind, target, rectangle, _box in elsewhere]
        page.links[:] = [link for link in page.links if link not in elsewhere]  # the merge makes them
    return document.write_pdf(), {"bookmarks": bookmarks, "links": links}


def merge(parts: list[tuple[bytes, dict, int]], anchors: dict) -> bytes:
    """Join the parts' PDFs (each with its outline facts and its offset) into one, with the outline of the whole
    (levels as WeasyPrint gave them) and the links of the contents to the pages of other parts."""
    writer = PdfWriter()
    for pdf, _facts, _offset in parts:
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    first = PdfReader(io.BytesIO(parts[0][0]))
    if first.metadata:
        writer.add_metadata({key: str(value) for key, value in first.metadata.items()})
    parents: list[tuple[int, object]] = []
    for _pdf, facts, offset in parts:
        for level, label, page, x, y in facts["bookmarks"]:
            while parents and parents[-1][0] >= level:
                parents.pop()
            height = float(writer.pages[offset + page].mediabox.height)
            item = writer.add_outline_item(
                title=label,
                page_number=offset + page,
                parent=parents[-1][1] if parents else None,
                fit=Fit.xyz(x * PX, height - y * PX),
            )
            parents.append((level, item))
        for page, target, x, y, width, h in facts["links"]:
            if target not in anchors:
                continue
            target_page, tx, ty = anchors[target]
            height = float(writer.pages[offset + page].mediabox.height)
            target_height = float(writer.pages[target_page].mediabox.height)
            rect = (x * PX, height - (y + h) * PX, (x + width) * PX, height - y * PX)
            writer.add_annotation(
                offset + page,
                Link(rect=rect, target_page_index=target_page, fit=Fit.xyz(tx * PX, target_height - ty * PX)),
            )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_in_one_process(html: str) -> bytes:
    """The two passes and the merge one after the other (the tests, the benchmark): what the workers do."""
    spans = part_ranges(html)
    counted = [count(html, span) for span in spans]
    offsets, anchors = absolute(counted)
    total = sum(part["pages"] for part in counted)
    rendered = [
        (*render(html, span, offset=offset, total=total, anchors=anchors), offset)
        for span, offset in zip(spans, offsets, strict=True)
    ]
    return merge(rendered, anchors)


def absolute(counted: list[dict]) -> tuple[list[int], dict]:
    """Each part's first page in the whole, and every anchor as [page index in the whole, x, y]."""
    offsets, anchors, before = [], {}, 0
    for part in counted:
        offsets.append(before)
        for name, (page, x, y) in part["anchors"].items():
            anchors[name] = [before + page, x, y]
        before += part["pages"]
    return offsets, anchors
