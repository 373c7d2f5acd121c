"""The report as a Word document, for the ministries that work in Word: the PDF's structure and text (the same
context, reports.services.report_html_context), on the template reports/word/iomborder.docx.

Every item carries a bookmark named from its identity in the snapshot (anchor_name), so that what a ministry
writes next to it can be traced back to it; the draft's open threads are Word comments on their items."""

import datetime
import difflib
import io
import re
from html import escape, unescape
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reports import anchors
from reports.anchors import EXPORTED, TRACKED, anchor_name

TEMPLATE = Path(__file__).resolve().parent / "word" / "iomborder.docx"
TAG = re.compile(r"<[^>]+>")
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VTYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def plain(html: str) -> str:
    return unescape(TAG.sub("", html)).strip()


class Writer:
    def __init__(self):
        self.document = Document(str(TEMPLATE))
        self.anchors = {}  # anchor name -> the first run of the item, for the comments
        self._next_id = 0

    def paragraph(self, text: str = "", style: str | None = None, bold: bool = False):
        paragraph = self.document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold
        return paragraph

    def heading(self, text: str, level: int):
        return self.document.add_heading(text, level=level)

    def bookmark(self, name: str, first, last=None) -> None:
        """Enclose the paragraphs from `first` to `last` in a bookmark named `name`."""
        self._next_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._next_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._next_id))
        properties = first._p.pPr
        if properties is not None:
            properties.addnext(start)
        else:
            first._p.insert(0, start)
        (last or first)._p.append(end)
        if first.runs:
            self.anchors[name] = first.runs[0]

    def table(self, header: list[str], rows: list[list[str]]):
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = "" if text is None else str(text)
        return table

    def page_number_footer(self, mark: str) -> None:
        section = self.document.sections[0]
        if mark:
            header = section.header.paragraphs[0]
            header.text = mark
            header.runs[0].bold = True
        footer = section.footer.paragraphs[0]
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)

    def tracked(self, paragraph, old: str | None, new: str, when: str, bold: bool = False) -> None:
        """Write `new` into the paragraph as Word tracked changes from `old` (the previous draft's text; None: the
        item is new): unchanged words as they are, removed words deleted, added words inserted, by TRACKED."""
        if old is None:
            old = ""
        old_words, new_words = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                paragraph.add_run("".join(old_words[a1:a2])).bold = bold or None
                continue
            if a2 > a1:
                self._change(paragraph, "w:del", "".join(old_words[a1:a2]), when, bold)
            if b2 > b1:
                self._change(paragraph, "w:ins", "".join(new_words[b1:b2]), when, bold)

    def _change(self, paragraph, kind: str, text: str, when: str, bold: bool) -> None:
        self._next_id += 1
        change = OxmlElement(kind)
        change.set(qn("w:id"), str(10_000 + self._next_id))
        change.set(qn("w:author"), TRACKED)
        change.set(qn("w:date"), when)
        run, piece = OxmlElement("w:r"), OxmlElement("w:delText" if kind == "w:del" else "w:t")
        if bold:
            properties = OxmlElement("w:rPr")
            properties.append(OxmlElement("w:b"))
            run.append(properties)
        piece.text = text
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(piece)
        change.append(run)
        paragraph._p.append(change)

    def text(self, style: str, new: str, old: str | None, *, tracked: bool, when: str, prefix: str = "", bold=False):
        """A paragraph of an item's text: as tracked changes from the previous draft's when it moved."""
        if not tracked or old == new:
            return self.paragraph(f"{prefix}{new}", style=style, bold=bold)
        paragraph = self.document.add_paragraph(style=style)
        if prefix:
            paragraph.add_run(prefix).bold = bold or None
        self.tracked(paragraph, old, new, when, bold)
        return paragraph

    def custom_property(self, name: str, value: str) -> None:
        """A custom document property (docProps/custom.xml): Word and LibreOffice keep it when they save."""
        package = self.document.part.package
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Properties xmlns="{CUSTOM}" xmlns:vt="{VTYPES}">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="%s"><vt:lpwstr>%s</vt:lpwstr>'
            "</property></Properties>" % (escape(name), escape(value))
        )
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml.encode(), package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def render_docx(context: dict, *, review_id: int) -> bytes:
    """The report's Word document from its context (reports.services.report_html_context), in the language
    active."""
    w = Writer()
    review = context["review"]
    draft = context["draft_number"]
    w.page_number_footer(_("DRAFT") if context["is_draft"] or context["is_working"] else "")
    properties = w.document.core_properties
    properties.title = review["title"]
    w.custom_property(anchors.PROPERTY, anchors.identity(review_id, draft))
    properties.language = context["language"]

    # What moved since the previous draft, as Word tracked changes (a draft after the first; the Word export only).
    previous = context.get("previous")
    when = context["generated_at"].strftime("%Y-%m-%dT%H:%M:%SZ")

    cover = w.paragraph(_("International Organization for Migration (IOM)"), style="Muted")
    w.paragraph(context["state_name"], bold=True)
    w.document.add_heading(review["title"], level=0)
    w.paragraph(_("Policy review and recommendations"))
    if context["is_draft"]:
        version = _("Draft %(number)s for consultation") % {"number": draft}
    elif context["is_working"]:
        version = _("Working version, not validated")
    else:
        version = _("Final report")
    w.paragraph(f"{_('Version')}: {version}")
    w.paragraph(f"{_('Date')}: {date_format(context['generated_at'], 'DATE_FORMAT')}")
    edition = _("Public edition") if context["is_public"] else _("Full edition (government and IOM)")
    w.paragraph(f"{_('Edition')}: {edition}")
    w.bookmark(anchor_name("draft"), cover)
    w.document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    w.heading(_("Executive summary"), 1)
    for text in re.split(r"</p>", render_to_string("reports/_summary.html", context)):
        if plain(text):
            w.paragraph(" ".join(plain(text).split()))

    # The PDF's chart, as Word draws it everywhere: a table with a bar of blocks (a quarter-point each).
    w.paragraph(_("Mean rating per strategic support area (0 to 4)"), bold=True)
    w.table(
        [_("Support area"), _("Mean rating"), ""],
        [
            [
                area["name"],
                "—" if area["mean"] is None else number_format(area["mean"], 1),
                "" if area["mean"] is None else "█" * round(area["mean"] * 4) + "░" * (16 - round(area["mean"] * 4)),
            ]
            for area in context["areas"]
        ],
    )

    w.heading(_("Method and scope"), 1)
    for text in re.split(r"</p>", render_to_string("reports/_method.html", context)):
        if plain(text):
            w.paragraph(" ".join(plain(text).split()))
    w.paragraph(f"{_('Rating scale')}:")
    for _value, label in context["scale"]:
        w.paragraph(str(label), style="List Bullet")
    w.paragraph(_("Not applicable: the criterion does not apply to the state's context."), style="List Bullet")

    for number, area in enumerate(context["areas"], start=1):
        heading = w.heading(f"{number}. {area['name']}", 1)
        w.bookmark(anchor_name("section", area["code"]), heading)
        if area.get("description"):
            w.paragraph(area["description"], style="Muted")
        w.heading(_("Findings"), 2)
        for finding in area["findings"]:
            head = w.paragraph(f"{finding['criterion']} {finding['title_text']}", style="Finding", bold=True)
            last = w.paragraph(f"{_('Rating')}: {finding['rating_label']}", style="Finding")
            if finding.get("finding"):
                old = previous["findings"].get(finding["criterion"]) if previous else None
                last = w.text("Finding", finding["finding"], old, tracked=previous is not None, when=when)
            if finding.get("evidence_titles"):
                last = w.paragraph(f"{_('Evidence')}: {'; '.join(finding['evidence_titles'])}", style="Muted")
            if finding.get("provision_labels"):
                last = w.paragraph(f"{_('Provisions cited')}: {'; '.join(finding['provision_labels'])}", style="Muted")
            w.bookmark(anchor_name("finding", finding["criterion"]), head, last)
        if not area["findings"]:
            w.paragraph(_("No criterion of this area was in the scope of the review."), style="Muted")
        w.heading(_("Recommendations"), 2)
        for rec in area["recommendations"]:
            old_text, old_rationale = (
                previous["recommendations"].get(str(rec["id"]), [None, None]) if previous else (None, None)
            )
            head = w.text(
                "Recommendation",
                rec["text"],
                old_text,
                tracked=previous is not None,
                when=when,
                prefix=f"{rec['number']} ",
                bold=True,
            )
            last = head
            if rec.get("rationale"):
                last = w.text(
                    "Recommendation", rec["rationale"], old_rationale, tracked=previous is not None, when=when
                )
            meta = f"{_('Priority')}: {rec['priority_label']} · {_('Time frame')}: {rec['time_frame_label']}"
            if rec.get("responsible_institution"):
                meta += f" · {_('Responsible')}: {rec['responsible_institution']}"
            last = w.paragraph(meta, style="Muted")
            w.bookmark(anchor_name("recommendation", rec["id"]), head, last)
        if not area["recommendations"]:
            w.paragraph(_("No recommendation in this area."), style="Muted")

    w.heading(_("Recommendations at a glance"), 1)
    w.table(
        ["#", _("Recommendation"), _("Priority"), _("Time frame"), _("Responsible institution")],
        [
            [r["number"], r["text"], r["priority_label"], r["time_frame_label"], r["responsible_institution"] or "—"]
            for r in context["recommendations"]
        ],
    )
    w.heading(_("Recommendations by thematic area and support area"), 1)
    w.table(
        [_("Thematic area"), *context["matrix_columns"], _("Total"), _("High priority")],
        [
            [row["label"], *(cell or "" for cell in row["cells"]), row["total"], row["high"]]
            for row in context["matrix_rows"]
        ],
    )
    w.heading(_("Alignment with SDG target 10.7 and the Global Compact for Migration"), 1)
    for item in context["alignment"]:
        w.heading(item["label"], 2)
        if item.get("description"):
            w.paragraph(item["description"], style="Muted")
        line = f"{_('Criteria')}: {', '.join(item['criteria']) or '—'}"
        if item.get("mean") is not None:
            line += f" · {_('mean rating')} {number_format(item['mean'], 1)}"
        w.paragraph(line)
        w.paragraph(f"{_('Recommendations')}: {', '.join(item['recommendations']) or '—'}")
    if context["gap_groups"]:
        w.heading(_("Legal gap matrix"), 1)
        for group in context["gap_groups"]:
            w.heading(group["name"], 2)
            rows = []
            for row in group["standards"]:
                standard = f"{row['article']} · {row['name_text']}" + (f" ({_('Gap')})" if row["is_gap"] else "")
                for entry in row["entries"] or [None]:
                    if entry is None:
                        rows.append([standard, _("No national provision"), "", ""])
                    else:
                        rows.append([standard, entry["label"], entry["verdict_label"], entry["comment"]])
            w.table([_("Standard provision"), _("National provision"), _("Verdict"), _("Comment")], rows)
    w.heading(_("Annex: national instruments reviewed"), 1)
    for group in context["annex"]:
        if group["instruments"]:
            w.heading(group["name"], 2)
            for i in group["instruments"]:
                details = ", ".join(str(v) for v in (i["type_label"], i.get("reference"), i.get("date")) if v)
                w.paragraph(f"{i['title']} — {details} ({i['status_label']})")

    if context["gap_annex"]:
        w.heading(_("Annex: national provisions in the gap matrix"), 1)
        for provision in context["gap_annex"]:
            heading = provision["label"] + (f" · {provision['heading']}" if provision["heading"] else "")
            w.heading(heading, 2)
            for text in provision["text"].split("\n"):
                if text.strip():
                    w.paragraph(text.strip())

    for thread in context["threads"]:  # the draft's open threads, as Word comments on their items
        name = anchor_name(thread["target_type"], thread["target_key"])
        run = w.anchors.get(name) or w.anchors[anchor_name("draft")]
        text = plain(thread["body_html"])
        if thread.get("quote"):
            text = f"« {thread['quote']} » {text}"
        text += f" [{thread['status_label']}]"
        if thread.get("answer"):
            text += f" {_('Answer')}: {thread['answer']}"
        comment = w.document.add_comment(run, text=text, author=thread["author"], initials=EXPORTED)
        if thread.get("created_at"):  # when it was written, not when the file was made
            comment._comment_elm.date = datetime.datetime.fromisoformat(thread["created_at"])
    return w.save()


def render(content: dict, context_of, *, language: str, edition: str, review_id: int) -> bytes:
    """A job's Word document: `context_of` is reports.services.report_html_context."""
    with translation.override(language):
        return render_docx(context_of(content, language=language, edition=edition), review_id=review_id)
