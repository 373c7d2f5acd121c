"""National laws split into their articles, in the drafting styles of the three languages."""

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from frameworks.splitting import split_file, split_text
from tests.office import libreoffice

FRENCH = """RÉPUBLIQUE DE DÉMOLAND
Loi n° 2019-12 relative à l'entrée et au séjour des étrangers

TITRE PREMIER – DISPOSITIONS GÉNÉRALES

Article premier – Objet
La présente loi régit l'entrée, le séjour et la sortie des étrangers.

Article 2 - Définitions
Au sens de la présente loi, on entend par « passeur » toute personne qui facilite l'entrée illégale.
Article 5 de la loi de 2001 est abrogé.

CHAPITRE II – DU CONTRÔLE AUX FRONTIÈRES

Article 12
Des points de passage
Le contrôle est effectué aux points de passage désignés par décret.

Article 12 bis. Du refus d'entrée
Le refus d'entrée est motivé par écrit.

Article 13 : Des sanctions
Est puni de cinq ans d'emprisonnement le passeur.
"""

SPANISH = """LEY DE MIGRACIÓN
CAPÍTULO I
Disposiciones generales
Artículo 1º. Objeto. Esta ley regula la migración.
Artículo 2. De la entrada
La entrada se realiza por los puestos habilitados, conforme al artículo 3
de esta ley.
Artículo 2 bis.- Del tráfico ilícito de migrantes
Será sancionado quien facilite la entrada ilegal.
Artículo 3. Sanciones
Multa de 100 a 500 días.
"""

ENGLISH_SECTIONS = """BORDER MANAGEMENT ACT 2020
PART I - PRELIMINARY
1. Short title
This Act may be cited as the Border Management Act.
2. Interpretation
In this Act, unless the context otherwise requires:
(a) "officer" means a border officer;
3. Powers of officers
An officer may examine any person arriving.
3A. Refusal of entry
Written reasons are given.
4. Offences
A person who smuggles commits an offence.
"""


def pieces(text):
    return [(p["number"], p["heading"]) for p in split_text(text).pieces]


def test_a_french_law_with_bis_articles_chapters_and_titles_under_their_numbers():
    split = split_text(FRENCH)
    assert [(p["number"], p["heading"]) for p in split.pieces] == [
        ("", ""),  # the title before the first article
        ("1", "Objet"),
        ("2", "Définitions"),
        ("12", "Des points de passage"),
        ("12 bis", "Du refus d'entrée"),
        ("13", "Des sanctions"),
    ]
    by_number = {p["number"]: p["text"] for p in split.pieces}
    assert "Article 5 de la loi de 2001 est abrogé." in by_number["2"]  # a reference in a text, not a heading
    assert "CHAPITRE II" not in by_number["2"]
    assert split.structure == ["TITRE PREMIER – DISPOSITIONS GÉNÉRALES", "CHAPITRE II – DU CONTRÔLE AUX FRONTIÈRES"]


def test_a_spanish_law_with_ordinals_and_headings_on_the_line():
    split = split_text(SPANISH)
    assert [(p["number"], p["heading"]) for p in split.pieces][1:] == [
        ("1", "Objeto. Esta ley regula la migración."),
        ("2", "De la entrada"),
        ("2 bis", "Del tráfico ilícito de migrantes"),
        ("3", "Sanciones"),
    ]
    assert "conforme al artículo 3\nde esta ley." in split.pieces[2]["text"]


def test_an_english_act_of_numbered_sections_with_a_skip_and_3a():
    assert pieces(ENGLISH_SECTIONS)[1:] == [
        ("1", "Short title"),
        ("2", "Interpretation"),
        ("3", "Powers of officers"),
        ("3A", "Refusal of entry"),
        ("4", "Offences"),
    ]


def test_a_word_file_keeps_its_tables_inside_their_article():
    document = Document()
    document.add_paragraph("Section 1. Fees")
    document.add_paragraph("The fees are:")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Visa", "60"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Transit", "20"
    document.add_paragraph("Section 2. Exemptions")
    document.add_paragraph("Children pay no fee.")
    buffer = io.BytesIO()
    document.save(buffer)
    split = split_file("act.docx", buffer.getvalue())
    assert [(p["number"], p["text"]) for p in split.pieces] == [
        ("1", "The fees are:\nVisa | 60\nTransit | 20"),
        ("2", "Children pay no fee."),
    ]


def test_a_text_without_headings_is_one_provision_to_split_by_hand():
    split = split_text("The Minister may make regulations.\nThey are published in the Gazette.")
    assert not split.split
    assert split.pieces == [
        {"number": "1", "heading": "", "text": "The Minister may make regulations.\nThey are published in the Gazette."}
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("law.rtf", b"{\\rtf1 Article 1}", "Only .docx, .odt, PDF and text files"),
        ("law.docx", b"not a zip", "damaged"),
        ("law.pdf", b"%PDF-1.4 broken", "damaged"),
    ],
)
def test_a_file_that_cannot_be_split_says_why(name, data, message):
    with pytest.raises(ValidationError, match=message):
        split_file(name, data)


def test_a_pdf_of_a_french_law_is_split_as_its_text_is():
    from weasyprint import HTML

    html = "".join(f"<p>{line}</p>" for line in FRENCH.splitlines() if line)
    data = HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    split = split_file("loi.pdf", data)
    assert [p["number"] for p in split.pieces] == ["", "1", "2", "12", "12 bis", "13"]
    assert "Le refus d'entrée est motivé par écrit." in split.pieces[4]["text"]


def test_an_opendocument_file_is_split_with_its_tables(tmp_path):
    document = Document()
    for line in SPANISH.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Multa", "500"
    document.save(tmp_path / "ley.docx")
    libreoffice(tmp_path / "ley.docx", "odt", tmp_path, tmp_path / "p")
    split = split_file("ley.odt", (tmp_path / "ley.odt").read_bytes())
    assert [p["number"] for p in split.pieces] == ["", "1", "2", "2 bis", "3"]
    assert split.pieces[-1]["text"] == "Multa de 100 a 500 días.\nMulta | 500"


def test_a_french_code_numbers_its_articles_l_and_r():
    split = split_text(
        "Code de l'entrée et du séjour des étrangers\n"
        "Article L. 311-1\nLe titre de séjour est délivré par le préfet.\n"
        "Article L. 311-2 - Délivrance\nIl est remis en mains propres.\n"
        "Article R311-3\nLa demande est déposée en ligne.\n"
    )
    assert [(p["number"], p["heading"]) for p in split.pieces][1:] == [
        ("L. 311-1", ""),
        ("L. 311-2", "Délivrance"),
        ("R311-3", ""),
    ]


def test_a_spanish_ordinal_with_its_dot():
    split = split_text("Artículo 1.º Objeto.\nEsta ley regula la entrada.\nArtículo 2.º Ámbito.\nSe aplica a todos.\n")
    assert [(p["number"], p["heading"]) for p in split.pieces] == [("1", "Objeto."), ("2", "Ámbito.")]


def test_a_spanish_pdf_loses_its_running_header_and_page_numbers_and_keeps_its_dispositions():
    from weasyprint import HTML

    articles = "".join(
        f"<h3>Artículo {n}. Del control número {n}</h3>"
        + "<p>El control se realiza en los puestos habilitados.</p>" * 25
        for n in range(1, 7)
    )
    html = f"""<html><head><style>
        @page {{ size: A4; @top-center {{ content: "BOLETÍN OFICIAL DEL ESTADO" }}
                 @bottom-center {{ content: "Página " counter(page) }} }}
        </style></head><body><h1>Ley 4/2023, de migración</h1>{articles}
        <h3>Disposición adicional primera. Informe anual</h3><p>El Gobierno informa cada año.</p>
        <h3>Disposición derogatoria única. Derogación normativa</h3><p>Queda derogada la Ley 2/1990.</p>
        <h3>Disposición final única. Entrada en vigor</h3><p>Entra en vigor al día siguiente.</p></body></html>"""
    split = split_file("ley.pdf", HTML(string=html).write_pdf())
    numbers = [p["number"] for p in split.pieces]
    assert numbers[1:] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "Disposición adicional primera",
        "Disposición derogatoria única",
        "Disposición final única",
    ]
    text = " ".join(p["text"] for p in split.pieces)
    assert "BOLETÍN OFICIAL" not in text and "Página" not in text
    assert split.pieces[-1]["heading"] == "Entrada en vigor"
