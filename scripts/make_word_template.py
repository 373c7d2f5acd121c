"""Make reports/word/iomborder.docx, the Word template of the exported reports: its styles (fonts, headings in
IOM blue, the recommendation and finding paragraphs, the table style) and page margins. Run it again after a
change here and commit the file; the export (reports/word.py) only opens it.

    .venv/bin/python scripts/make_word_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt, RGBColor

BLUE = RGBColor(0x00, 0x33, 0xA0)
GREY = RGBColor(0x5A, 0x62, 0x70)
TARGET = Path(__file__).resolve().parent.parent / "reports" / "word" / "iomborder.docx"


def main() -> None:
    document = Document()
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.2)
    styles = document.styles
    styles["Normal"].font.name = "DejaVu Sans"
    styles["Normal"].font.size = Pt(10)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.name = "DejaVu Sans"
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = BLUE
    for name, italic, colour in (("Finding", False, None), ("Recommendation", False, None), ("Muted", True, GREY)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.italic = italic
        if colour:
            style.font.color.rgb = colour
        style.paragraph_format.space_after = Pt(4)
    styles["Recommendation"].paragraph_format.left_indent = Cm(0.5)
    document.core_properties.title = "iomborder report"
    document.core_properties.author = "International Organization for Migration (IOM)"
    # A template holds styles, not text.
    body = document.element.body
    for paragraph in list(body.iterchildren()):
        if paragraph.tag.endswith("}p"):
            body.remove(paragraph)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(TARGET)
    print(f"written {TARGET}")


if __name__ == "__main__":
    main()
