from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from core.i18n import LANGUAGE_CODES
from frameworks.models import (
    AssessmentFramework,
    Criterion,
    InternationalReference,
    MemberState,
    SupportArea,
    ThematicArea,
)
from frameworks.services import DATA_DIR, LibraryError, library_load
from tests import factories

pytestmark = pytest.mark.django_db

# DESIGN.md section 2: the six strategic support areas, in order, with their names.
SUPPORT_AREAS = [
    ("strategic_documents", "Strategic documents", "Documents stratégiques", "Documentos estratégicos"),
    ("legal_policy", "Legal and policy frameworks", "Cadres juridiques et politiques", "Marcos jurídicos y normativos"),
    (
        "action_plans",
        "National and institutional action plans",
        "Plans d'action nationaux et institutionnels",
        "Planes de acción nacionales e institucionales",
    ),
    ("institutional", "Institutional frameworks", "Cadres institutionnels", "Marcos institucionales"),
    ("processes", "Processes and procedures", "Processus et procédures", "Procesos y procedimientos"),
    ("best_practices", "Best practices", "Pratiques exemplaires", "Buenas prácticas"),
]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (MemberState, SupportArea, ThematicArea, InternationalReference, AssessmentFramework, Criterion)
    }


def shipped_library() -> dict:
    return yaml.safe_load((DATA_DIR / "catalogue.yaml").read_text(encoding="utf-8"))


def write_library(tmp_path: Path, data: dict, name="library.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_it_loads_the_six_support_areas_in_order_with_their_names():
    rows = [(a.code, a.name_en, a.name_fr, a.name_es) for a in SupportArea.objects.order_by("order")]
    assert rows == SUPPORT_AREAS


def test_it_loads_the_seven_thematic_areas_and_the_international_references():
    assert ThematicArea.objects.count() == 7
    codes = set(InternationalReference.objects.values_list("code", flat=True))
    assert {"sdg-10-7", "gcm-7", "gcm-11", "gcm-23", "smuggling-protocol"} <= codes


def test_the_criteria_library_covers_every_area_with_guidance_in_three_languages():
    criteria = Criterion.objects.filter(framework__code="iom-ibm-policy-review", framework__version=1)
    assert criteria.count() >= 42
    assert set(criteria.values_list("support_area__code", flat=True)) == {code for code, *_ in SUPPORT_AREAS}
    assert set(criteria.values_list("thematic_area__code", flat=True)) == set(
        ThematicArea.objects.values_list("code", flat=True)
    )
    for criterion in criteria.prefetch_related("references"):
        for language in LANGUAGE_CODES:
            assert getattr(criterion, f"title_{language}").strip(), (criterion.code, language)
            assert len(getattr(criterion, f"guidance_{language}")) > 150, (criterion.code, language)
        assert criterion.references.exists(), criterion.code


def test_every_catalogue_row_has_its_text_in_every_language():
    for model in (MemberState, SupportArea, ThematicArea, InternationalReference, AssessmentFramework):
        for row in model.objects.all():
            for language in LANGUAGE_CODES:
                assert getattr(row, f"name_{language}").strip(), (model.__name__, row.code, language)


def test_it_loads_the_iso_3166_member_states():
    assert MemberState.objects.filter(is_fictional=False).count() >= 249
    ivory_coast = MemberState.objects.get(code="CI")
    assert (ivory_coast.code3, ivory_coast.region) == ("CIV", "africa")
    assert MemberState.objects.get(code="DE").name_fr == "Allemagne"
    assert MemberState.objects.get(code="DE").name_es == "Alemania"


def test_it_is_idempotent():
    before = counts()
    report = library_load()
    assert counts() == before
    assert report.created == {}
    assert report.updated == {}
    assert report.frameworks_unchanged == ["iom-ibm-policy-review v1"]


def test_the_command_says_when_nothing_changed(capsys):
    call_command("load_framework")
    assert "already loaded" in capsys.readouterr().out


def test_a_new_version_leaves_reviews_made_on_the_old_one_untouched(tmp_path):
    adviser = factories.adviser()
    review = factories.make_review(adviser, factories.MemberStateFactory(), areas=["border_management"])
    old_titles = {a.criterion.code: a.criterion.title_en for a in review.assessments.select_related("criterion")}

    data = shipped_library()
    data["library"]["version"] = 2
    for criterion in data["criteria"]:
        criterion["title"]["en"] = "Rewritten: " + criterion["title"]["en"]
    library_load(paths=[write_library(tmp_path, data)])

    v2 = AssessmentFramework.objects.get(code="iom-ibm-policy-review", version=2)
    assert v2.criteria.count() == len(data["criteria"])
    assert v2.criteria.filter(title_en__startswith="Rewritten: ").count() == len(data["criteria"])
    review.refresh_from_db()
    assert review.framework.version == 1
    assert {a.criterion.code: a.criterion.title_en for a in review.assessments.select_related("criterion")} == (
        old_titles
    )


def test_changed_content_under_a_loaded_version_is_refused_and_nothing_is_written(tmp_path):
    data = shipped_library()
    data["criteria"][0]["title"]["en"] = "A different title"
    data["support_areas"][0]["name"]["en"] = "Renamed"
    with pytest.raises(LibraryError, match="already loaded with other content"):
        library_load(paths=[write_library(tmp_path, data)])
    assert SupportArea.objects.get(code="strategic_documents").name_en == "Strategic documents"


def test_a_missing_translation_is_named(tmp_path):
    data = shipped_library()
    data["library"]["version"] = 3
    del data["criteria"][4]["guidance"]["es"]
    code = data["criteria"][4]["code"]
    with pytest.raises(LibraryError, match=f"criterion {code}: 'guidance' has no text in es"):
        library_load(paths=[write_library(tmp_path, data)])
    assert not AssessmentFramework.objects.filter(version=3).exists()


def test_an_unknown_reference_is_named(tmp_path):
    data = shipped_library()
    data["library"]["version"] = 4
    data["criteria"][0]["references"] = ["gcm-99"]
    with pytest.raises(LibraryError, match="'gcm-99' is not in the catalogue"):
        library_load(paths=[write_library(tmp_path, data)])


def test_the_command_reports_a_bad_file_without_a_traceback(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("criteria: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid YAML"):
        call_command("load_framework", str(path))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_framework", str(tmp_path / "missing.yaml"))


def test_a_library_file_can_add_a_reference_and_a_new_library(tmp_path):
    data = {
        "references": [
            {
                "code": "gcm-21",
                "kind": "gcm",
                "name": {"en": "GCM objective 21", "fr": "Objectif 21 du Pacte mondial", "es": "Objetivo 21"},
            }
        ],
        "library": {"code": "custom", "version": 1, "name": {"en": "Custom", "fr": "Perso", "es": "Propio"}},
        "criteria": [
            {
                "code": "C-1",
                "support_area": "processes",
                "thematic_area": "regularization",
                "references": ["gcm-21"],
                "title": {"en": "Returns", "fr": "Retours", "es": "Retornos"},
                "guidance": {"en": "Look for…", "fr": "Rechercher…", "es": "Buscar…"},
            }
        ],
    }
    library_load(paths=[write_library(tmp_path, data)])
    criterion = Criterion.objects.get(framework__code="custom", code="C-1")
    assert list(criterion.references.values_list("code", flat=True)) == ["gcm-21"]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
criteria: *i
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("library: {code: x, version: 1, name: {en: a, fr: a, es: a}}\ncriteria: 5\n", "'criteria' must be a list"),
        ("library: {code: x, version: 1, name: {en: a, fr: a, es: a}}\ncriteria: [C-1]\n", r"criteria\[1\] must be"),
        ("member_states: {XD: Demoland}\n", "'member_states' must be a list"),
        ("library: just-a-name\ncriteria: []\n", "'library' must be a mapping"),
        ("library: {code: x, version: [1], name: {en: a, fr: a, es: a}}\ncriteria: []\n", "whole number"),
        (
            "library: {code: x, version: 2, name: {en: a, fr: a, es: a}}\n"
            "criteria: [{code: C-1, references: sdg-10-7}]\n",
            "'references' must be a list",
        ),
        ("support_areas: [strategic_documents]\n", r"support_areas\[1\] must be a mapping"),
        (BILLION_LAUGHS, "aliases expand to more than"),
        ("criteria: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply|not valid YAML"),
    ],
)
def test_a_malformed_file_is_named_with_its_place_and_nothing_is_written(tmp_path, text, message):
    before = counts()
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_framework", str(path))
    assert counts() == before


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("member_states: [{code: XD, name: {en: Démoland}}]".encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        call_command("load_framework", str(path))
