"""A ministry's annotated Word file of a draft, read back: each Word comment (and each tracked change, as a
suggested rewording) with the item it sits in, found by the bookmarks the export wrote around every item
(reports.anchors). Nothing here writes: the triage page shows what was found, and the person confirms.

The file is checked as it is uploaded (check: quick, so a refused file leaves nothing behind), and refused with
a message when it is not a plain .docx of this draft: too large, not a zip, encrypted (password-protected Word
files are OLE containers), macro-enabled, a zip bomb, XML with a document type declaration (entities), or
exported from another review or draft (the custom property the export writes). A worker then reads it (read)."""

import io
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from reports.anchors import EXPORTED, PROPERTY, TRACKED, identity

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024  # a zip whose parts expand beyond this is a bomb, not a report
OLE = b"\xd0\xcf\x11\xe0"  # an encrypted Office file is an OLE compound document, not a zip
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
ANCHOR = re.compile(r"^iom_(?:(f)_(.+)|(r)_(\d+)|(s)_(.+)|(d))$")


@dataclass
class Found:
    kind: str  # "comment" or "change"
    target_type: str
    target_key: str
    quote: str
    body: str
    author: str


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        data = archive.read(name)
        if b"<!DOCTYPE" in data[:2000].upper():
            raise ValidationError(_("The file holds XML with a document type declaration: it is refused."))
        return etree.fromstring(data, PARSER)
    except (zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError):
        raise ValidationError(_("This file is not a Word document (.docx).")) from None


def _target(anchor: str | None, keys: dict[str, tuple[str, str]]) -> tuple[str, str]:
    return keys.get(anchor, ("draft", "")) if anchor else ("draft", "")


def _identity(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The review and draft the file says it was exported from: its custom property, or (files exported before
    there was one) the core properties' identifier."""
    if "docProps/custom.xml" in names:
        for prop in _xml(archive, "docProps/custom.xml").iter(f"{{{CUSTOM}}}property"):
            if prop.get("name") == PROPERTY:
                return "".join(prop.itertext()).strip()
    if "docProps/core.xml" in names:
        found = _xml(archive, "docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}identifier")
        if found is not None and (found.text or "").startswith("iomborder:"):
            return found.text.removeprefix("iomborder:")
    return ""


def check(upload, *, review_id: int, draft_number: int) -> bytes:
    """The file's bytes, once it is known to be a plain .docx exported from this draft (ValidationError with the
    reason otherwise). Reads only the zip's directory, the properties and the start of each XML part: quick
    enough to answer the upload at once, so a refused file never leaves anything behind."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    data = upload.read()
    if data.startswith(OLE):
        raise ValidationError(_("The file is protected by a password: save it without one and upload it again."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ValidationError(_("This file is not a Word document (.docx).")) from None
    if "word/document.xml" not in names:
        raise ValidationError(_("This file is not a Word document (.docx)."))
    if "word/vbaProject.bin" in names or upload.name.lower().endswith(".docm"):
        raise ValidationError(_("The file holds macros (.docm): save it as a plain .docx and upload it again."))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
        raise ValidationError(_("The file expands to more than 200 MB: it is refused."))
    for name in names:
        if name.endswith((".xml", ".rels")):
            try:
                with archive.open(name) as part:
                    start = part.read(2000)
            except (zipfile.BadZipFile, zlib.error, OSError):
                raise ValidationError(_("This file is not a Word document (.docx).")) from None
            if b"<!DOCTYPE" in start.upper():
                raise ValidationError(_("The file holds XML with a document type declaration: it is refused."))
    if _identity(archive, names) != identity(review_id, draft_number):
        raise ValidationError(
            _("This file was not exported from draft %(number)d of this review: download that draft as Word.")
            % {"number": draft_number}
        )
    return data


def read(data: bytes, *, keys: dict[str, tuple[str, str]]) -> list[Found]:
    """What an annotated file (passed by check) says, each with its item ((target_type, target_key), found from
    `keys`: the bookmark names of the draft's items). A comment whose item cannot be found is on the whole
    draft."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    document = _xml(archive, "word/document.xml")
    comments = {}
    if "word/comments.xml" in names:
        for comment in _xml(archive, "word/comments.xml").iter(_w("comment")):
            if comment.get(_w("initials")) == EXPORTED:
                continue  # a thread the export wrote, already in the consultation
            text = "\n".join("".join(t.text or "" for t in p.iter(_w("t"))) for p in comment.iter(_w("p")))
            comments[comment.get(_w("id"))] = (comment.get(_w("author")) or "", text.strip())
    found, open_marks, order = [], {}, []  # order: the item bookmarks open here, innermost last
    anchor_of, quoting, quotes = {}, {}, {}
    for element in document.iter():
        tag = element.tag
        if tag == _w("bookmarkStart") and ANCHOR.match(element.get(_w("name")) or ""):
            open_marks[element.get(_w("id"))] = element.get(_w("name"))
            order.append(element.get(_w("name")))
        elif tag == _w("bookmarkEnd") and element.get(_w("id")) in open_marks:
            order.remove(open_marks.pop(element.get(_w("id"))))
        elif tag == _w("commentRangeStart"):
            anchor_of[element.get(_w("id"))] = order[-1] if order else None
            quoting[element.get(_w("id"))] = []
        elif tag == _w("commentRangeEnd") and element.get(_w("id")) in quoting:
            quotes[element.get(_w("id"))] = "".join(quoting.pop(element.get(_w("id")))).strip()
        elif tag == _w("t"):
            for words in quoting.values():
                words.append(element.text or "")
        elif tag in (_w("ins"), _w("del")) and element.get(_w("author")) != TRACKED:
            text = "".join(t.text or "" for t in element.iter(_w("t"), _w("delText"))).strip()
            if text:
                target_type, target_key = _target(order[-1] if order else None, keys)
                words = _("Suggested insertion") if tag == _w("ins") else _("Suggested deletion")
                author = element.get(_w("author")) or ""
                found.append(Found("change", target_type, target_key, "", f"{words}: « {text} »", author))
    for comment_id, (author, text) in comments.items():
        if text:
            target_type, target_key = _target(anchor_of.get(comment_id), keys)
            found.append(Found("comment", target_type, target_key, quotes.get(comment_id, ""), text, author))
    return found


def as_rows(found: list[Found]) -> list[dict]:
    return [asdict(item) for item in found]
