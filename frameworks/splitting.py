"""A national law's file split into its articles: the text read from a .docx, .odt, PDF or text file, then cut at
the headings of the drafting styles of English, French and Spanish (and Italian) laws:

    Article 12. Heading        Art. 12 - Titre           Artículo 12 bis. Del ingreso     Articolo 3
    Article premier / 1er      Artículo 1º / 1.º         Section 4 / Sección 4 / Section 4.2
    Article L. 311-1 (the French codes)
    12. Heading (numbered sections, when the law has no article or section heading at all)

A heading is a line of its own that starts with the word and the number, followed by the end of the line or a
separator (. : - and the long dashes) and the article's title: "Article 5 of this Act applies" inside a text is not one.
Headings of chapters, titles and parts between articles are not part of any article: they are returned apart.
Text before the first article (the title, a preamble) is returned as a piece of its own, numbered "".

Nothing here touches the database: reviews.provisions saves what the adviser keeps of the preview.
"""

import io
import itertools
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

ORDINALS = {"premier": "1", "première": "1", "1er": "1", "primero": "1", "único": "1", "unique": "1", "1º": "1"}
SUFFIXES = r"(?:\s*(?:bis|ter|quater|quinquies|sexies|[A-Z])\b)?"
# 12, 12 bis, 4.2, 1º / 1.º, and the French codes' L. 311-1 / R311-2 (legislative and regulatory parts).
NUMBER = (
    rf"(?P<number>(?:[LRD]\.?\s?)?\d+(?:[.\-]\d+)*(?:\.?[º°ª])?{SUFFIXES}|premier|première|1er|primero|único|unique)"
)
ARTICLE = re.compile(
    rf"^\s*(?:article|art\.|artículo|articulo|articolo|section|sección|seccion|sec\.|§)\s*{NUMBER}"
    # then the end of the line, or a separator and the title; after an ordinal (1.º) the title may follow a space
    r"(?:\s*$|\s*[.:\-–—)]+\s*(?P<heading>.*)$|(?<=[º°ª])\s+(?P<after_ordinal>.*)$)",
    re.IGNORECASE,
)
# Spanish laws end with provisions of their own kind: "Disposición adicional primera. Título", "Disposición
# transitoria única", "Disposición derogatoria", "Disposición final tercera": each is an article here, numbered so.
DISPOSITION = re.compile(
    r"^\s*(?P<number>disposici[oó]n\s+(?:adicional|transitoria|derogatoria|final)(?:\s+(?!de\b|del\b)[a-záéíóúñ]+)?)"
    r"\s*(?:$|[.:\-–—]+\s*(?P<heading>.*)$)",
    re.IGNORECASE,
)
NUMBERED = re.compile(r"^\s*(?P<number>\d+[A-Z]?)\.\s+(?P<heading>[^\d].{0,150})$")
STRUCTURE = re.compile(
    r"^\s*(?:chapter|chapitre|capítulo|capitulo|capo|title|titre|título|titulo|titolo|part|partie|parte|book|livre|"
    r"libro)\s+(?:[IVXLC]+|\d+|premier|première|primero|unique|único)\b.{0,150}$",
    re.IGNORECASE,
)
MAX_HEADING = 200


@dataclass
class Piece:
    number: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class Split:
    pieces: list[dict]  # number, heading, text
    structure: list[str]  # the headings of chapters, titles and parts, left out of the articles
    split: bool  # False: no heading was found, the whole text is one piece


def _number(raw: str) -> str:
    raw = " ".join(raw.split())
    if raw.lower().startswith("disposici"):
        return raw[0].upper() + raw[1:].lower()
    key = raw.lower()
    if key in ORDINALS:
        return ORDINALS[key]
    return re.sub(r"(\d)\.?[º°ª]", r"\1", raw)


def split_text(text: str) -> Split:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    style = ARTICLE if any(ARTICLE.match(line) for line in lines) else None
    if style is None and _numbered_style(lines):
        style = NUMBERED
    if style is None:
        whole = text.strip()
        return Split([{"number": "1", "heading": "", "text": whole}] if whole else [], [], False)
    pieces, structure = [Piece("")], []
    for line in lines:
        match = style.match(line) or (DISPOSITION.match(line) if style is ARTICLE else None)
        if match and len(line) <= MAX_HEADING + 40:
            heading = match.groupdict().get("heading") or match.groupdict().get("after_ordinal") or ""
            pieces.append(Piece(_number(match["number"]), heading.strip()))
        elif STRUCTURE.match(line) and len(line) <= MAX_HEADING:
            structure.append(line.strip())
        elif not pieces[-1].heading and not pieces[-1].lines and pieces[-1].number and _is_title(line):
            pieces[-1].heading = line.strip()  # "Article 12" on one line, its title on the next
        else:
            pieces[-1].lines.append(line)
    found = [
        {"number": p.number, "heading": p.heading[:300], "text": p.text}
        for p in pieces
        if p.number or p.text  # the text before the first article, if any
    ]
    return Split(found, structure, True)


def _is_title(line: str) -> bool:
    """A short line without a final full stop, right under an article's number: its title."""
    stripped = line.strip()
    return 0 < len(stripped) <= 120 and not stripped.endswith((".", ";", ":", ",")) and not stripped[0].isdigit()


def _numbered_style(lines: list[str]) -> bool:
    """Numbered sections ("12. Entry permits"): at least three, their numbers mostly rising one by one."""
    numbers = [int(re.match(r"\d+", m["number"])[0]) for line in lines if (m := NUMBERED.match(line))]
    if len(numbers) < 3:
        return False
    rising = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1)
    return rising >= 0.7 * (len(numbers) - 1)


# Reading the files -------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
MAX_UNZIPPED = 200 * 1024 * 1024


def _safe_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError(_("The file cannot be read: it is damaged or not of the type its name says.")) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
        raise ValidationError(_("The file expands to more than 200 MB: it is refused."))
    return archive


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        data = archive.read(name)
    except KeyError:
        raise ValidationError(_("The file cannot be read: it is damaged or not of the type its name says.")) from None
    if b"<!DOCTYPE" in data[:2000].upper():
        raise ValidationError(_("The file holds XML with a document type declaration: it is refused."))
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        raise ValidationError(_("The file cannot be read: it is damaged or not of the type its name says.")) from None


def _docx_text(data: bytes) -> str:
    """The document's paragraphs and tables in order (a table's row as its cells joined by " | ")."""
    body = _xml(_safe_zip(data), "word/document.xml").find(f"{W}body")
    lines = []
    for element in body if body is not None else []:
        if element.tag == f"{W}p":
            lines.append("".join(t.text or "" for t in element.iter(f"{W}t")))
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                cells = ["".join(t.text or "" for t in cell.iter(f"{W}t")).strip() for cell in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
    return "\n".join(lines)


def _odt_text(data: bytes) -> str:
    root = _xml(_safe_zip(data), "content.xml")
    lines = []
    for element in root.iter(f"{{{ODF_TEXT}}}h", f"{{{ODF_TEXT}}}p", f"{{{ODF_TABLE}}}table-row"):
        if element.tag == f"{{{ODF_TABLE}}}table-row":
            cells = [" ".join("".join(c.itertext()).split()) for c in element.iter(f"{{{ODF_TABLE}}}table-cell")]
            lines.append(" | ".join(cells))
        elif not any(a.tag == f"{{{ODF_TABLE}}}table-cell" for a in element.iterancestors()):
            lines.append("".join(element.itertext()))
    return "\n".join(lines)


EDGE = 3  # lines at the top and at the bottom of a page where running headers, footers and page numbers sit


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def without_page_furniture(pages: list[str]) -> list[str]:
    """The pages without their running headers and footers ("BOLETÍN OFICIAL DEL ESTADO", "Page 3 / 40"): a line
    near the top or the bottom of a page that, digits aside, recurs there on at least half the pages (of three or
    more), or that is a page number alone."""
    split = [page.split("\n") for page in pages]
    counts: dict[str, int] = {}
    for lines in split:
        for key in {_furniture_key(line) for line in lines[:EDGE] + lines[-EDGE:] if line.strip()}:
            counts[key] = counts.get(key, 0) + 1
    recurring = {key for key, count in counts.items() if len(pages) >= 3 and count >= len(pages) / 2}
    kept = []
    for lines in split:
        edges = set(range(min(EDGE, len(lines)))) | set(range(max(0, len(lines) - EDGE), len(lines)))
        kept.append(
            "\n".join(
                line
                for n, line in enumerate(lines)
                if n not in edges
                or (_furniture_key(line) not in recurring and not re.fullmatch(r"\s*-?\s*\d+\s*-?\s*", line))
            )
        )
    return kept


def _pdf_text(data: bytes, progress=None) -> str:
    from pypdf import PdfReader  # the worker's only: the web processes never read PDFs
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password: save it without one and try again."))
        pages = []
        for index, page in enumerate(reader.pages):
            pages.append(page.extract_text() or "")
            if progress:
                progress(10 + int(70 * (index + 1) / len(reader.pages)))
    except (PdfReadError, ValueError, KeyError):
        raise ValidationError(_("The file cannot be read: it is damaged or not of the type its name says.")) from None
    text = "\n".join(without_page_furniture(pages))
    if not text.strip():
        raise ValidationError(_("The PDF holds no text (a scan?): type its articles by hand or give a text file."))
    return text


def file_text(name: str, data: bytes, progress=None) -> str:
    """The text of an instrument's file, by its type (its name's ending)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "docx":
        return _docx_text(data)
    if extension == "odt":
        return _odt_text(data)
    if extension == "pdf":
        return _pdf_text(data, progress)
    if extension == "txt":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    raise ValidationError(
        _("Only .docx, .odt, PDF and text files can be split into articles; this one is a .%(type)s.")
        % {"type": extension or "?"}
    )


def split_file(name: str, data: bytes, progress=None) -> Split:
    return split_text(file_text(name, data, progress))


def as_dict(split: Split) -> dict:
    return asdict(split)
