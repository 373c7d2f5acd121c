"""Writes to the catalogue: loading a versioned library file (YAML) of reference data and criteria."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.i18n import LANGUAGE_CODES
from core.log import log_action
from frameworks.models import (
    AssessmentFramework,
    Criterion,
    InternationalReference,
    MemberState,
    StandardProvision,
    SupportArea,
    ThematicArea,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_LIBRARIES = (DATA_DIR / "member_states.yaml", DATA_DIR / "catalogue.yaml")


class LibraryError(ValidationError):
    """A library file that cannot be loaded; the message says where and why, and nothing was written."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    frameworks_loaded: list[str] = field(default_factory=list)
    frameworks_unchanged: list[str] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1


def _texts(item: dict, key: str, where: str, *, required: bool = True) -> dict[str, str]:
    """The {en, fr, es} texts of a translated field, as model columns (key_en, key_fr, key_es)."""
    value = item.get(key)
    if value is None and not required:
        return {f"{key}_{lang}": "" for lang in LANGUAGE_CODES}
    if not isinstance(value, dict):
        raise LibraryError(f"{where}: '{key}' must give the text in {', '.join(LANGUAGE_CODES)}.")
    missing = [lang for lang in LANGUAGE_CODES if not str(value.get(lang) or "").strip()]
    if missing:
        raise LibraryError(f"{where}: '{key}' has no text in {', '.join(missing)}.")
    return {f"{key}_{lang}": str(value[lang]).strip() for lang in LANGUAGE_CODES}


def _require(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if value in (None, ""):
        raise LibraryError(f"{where}: '{key}' is missing.")
    return str(value)


def _save(model, lookup: dict, values: dict, report: LoadReport, kind: str):
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    obj = obj or model(**lookup)
    changed = created or any(getattr(obj, name) != value for name, value in values.items())
    if changed:
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise LibraryError(f"{kind} {lookup}: {exc.message_dict}") from None
        obj.save()
        report.count(kind, created)
    return obj


def _load_catalogue_rows(data: dict, report: LoadReport) -> None:
    for index, item in enumerate(data.get("member_states") or [], start=1):
        where = f"member_states[{index}]"
        _save(
            MemberState,
            {"code": _require(item, "code", where)},
            {
                "code3": item.get("code3", ""),
                "region": item.get("region", "other"),
                "is_fictional": bool(item.get("fictional", False)),
                **_texts(item, "name", where),
            },
            report,
            "member state",
        )
    for section, model, kind in (
        ("support_areas", SupportArea, "support area"),
        ("thematic_areas", ThematicArea, "thematic area"),
        ("references", InternationalReference, "international reference"),
        ("standard_provisions", StandardProvision, "standard provision"),
    ):
        for index, item in enumerate(data.get(section) or [], start=1):
            where = f"{section}[{index}]"
            values = {
                "order": index,
                **_texts(item, "name", where),
                **_texts(item, "description", where, required=False),
            }
            if model is InternationalReference:
                values["kind"] = _require(item, "kind", where)
                values["url"] = item.get("url", "")
            if model is StandardProvision:
                code = _require(item, "reference", where)
                values["reference"] = InternationalReference.objects.filter(code=code).first()
                if values["reference"] is None:
                    raise LibraryError(f"{where}: reference {code!r} is not in the catalogue.")
                values["article"] = _require(item, "article", where)
            _save(model, {"code": _require(item, "code", where)}, values, report, kind)


def _link_standard_provisions(data: dict) -> None:
    """Each standard provision's criteria (by code, in every version of the libraries loaded), set anew: the
    catalogue says which criteria ask about it, and a later file may change that without a new library version."""
    provisions = {p.code: p for p in StandardProvision.objects.all()}
    for index, item in enumerate(data.get("standard_provisions") or [], start=1):
        codes = [str(code) for code in item.get("criteria") or []]
        criteria = list(Criterion.objects.filter(code__in=codes))
        missing = set(codes) - {criterion.code for criterion in criteria}
        if missing:
            raise LibraryError(f"standard_provisions[{index}]: no criterion {', '.join(sorted(missing))} is loaded.")
        provisions[item["code"]].criteria.set(criteria)


def _library_hash(data: dict) -> str:
    canonical = json.dumps({"library": data["library"], "criteria": data["criteria"]}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _load_framework(data: dict, report: LoadReport) -> None:
    meta = data.get("library") or {}
    where = "library"
    code = _require(meta, "code", where)
    try:
        version = int(_require(meta, "version", where))
    except (TypeError, ValueError):
        raise LibraryError(f"{where}: 'version' must be a whole number.") from None
    content_hash = _library_hash(data)
    existing = AssessmentFramework.objects.filter(code=code, version=version).first()
    label = f"{code} v{version}"
    if existing:
        if existing.content_hash != content_hash:
            raise LibraryError(
                f"{label} was already loaded with other content. A changed library needs a new version number, "
                "so that the reviews made on the loaded one keep their criteria."
            )
        report.frameworks_unchanged.append(label)
        return

    framework = AssessmentFramework(
        code=code,
        version=version,
        content_hash=content_hash,
        **_texts(meta, "name", where),
        **_texts(meta, "description", where, required=False),
    )
    framework.full_clean()
    framework.save()
    report.frameworks_loaded.append(label)

    support_areas = {area.code: area for area in SupportArea.objects.all()}
    thematic_areas = {area.code: area for area in ThematicArea.objects.all()}
    references = {ref.code: ref for ref in InternationalReference.objects.all()}
    earlier = set(
        Criterion.objects.filter(framework__code=code, framework__version__lt=version).values_list("code", flat=True)
    )
    seen = set()
    links = []
    for index, item in enumerate(data["criteria"], start=1):
        where = f"criteria[{index}]"
        criterion_code = _require(item, "code", where)
        where = f"criterion {criterion_code}"
        if criterion_code in seen:
            raise LibraryError(f"{where}: the code is used twice in this library.")
        seen.add(criterion_code)
        try:
            support_area = support_areas[_require(item, "support_area", where)]
            thematic_area = thematic_areas[_require(item, "thematic_area", where)]
            cited = [references[ref] for ref in item.get("references") or []]
        except KeyError as exc:
            raise LibraryError(f"{where}: {exc.args[0]!r} is not in the catalogue.") from None
        succeeds = str(item.get("succeeds") or "")
        if succeeds and succeeds not in earlier:
            raise LibraryError(f"{where}: it succeeds {succeeds!r}, which no earlier version of {code} has.")
        criterion = Criterion(
            framework=framework,
            code=criterion_code,
            succeeds=succeeds,
            order=index,
            support_area=support_area,
            thematic_area=thematic_area,
            **_texts(item, "title", where),
            **_texts(item, "guidance", where),
        )
        try:
            criterion.full_clean(exclude=["framework"])
        except ValidationError as exc:
            raise LibraryError(f"{where}: {exc.message_dict}") from None
        links.append((criterion, cited))
    Criterion.objects.bulk_create([criterion for criterion, _cited in links])
    Through = Criterion.references.through
    Through.objects.bulk_create(
        [
            Through(criterion_id=criterion.pk, internationalreference_id=ref.pk)
            for criterion, cited in links
            for ref in cited
        ]
    )
    report.created["criterion"] = report.created.get("criterion", 0) + len(links)


# A library file's YAML, once its aliases are expanded, has at most this many nodes (the shipped catalogue has
# about 6,000): a 530-byte file of nested aliases would otherwise expand to gigabytes ("billion laughs").
MAX_YAML_NODES = 500_000
SECTIONS = {
    "library",
    "criteria",
    "member_states",
    "support_areas",
    "thematic_areas",
    "references",
    "standard_provisions",
}


def _expanded_size(node, sizes: dict) -> int:
    """How many nodes the YAML graph has once every alias is expanded (each shared node counted each time)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1  # a node that contains itself counts once, not forever
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, sizes) for item in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def _parse_yaml(text: str, path: Path):
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            raise LibraryError(
                f"{path}: its aliases expand to more than {MAX_YAML_NODES:,} values; a library file needs none."
            )
        return loader.construct_document(node)
    except RecursionError:
        raise LibraryError(f"{path}: is nested too deeply to be a library file.") from None
    finally:
        loader.dispose()


def _check_shape(data: dict, path: Path) -> None:
    """Each section is of the kind the loader reads: the place of the first that is not is named."""
    if "library" in data and not isinstance(data["library"], dict):
        raise LibraryError(f"{path}: 'library' must be a mapping (code, version, name, description).")
    for section in SECTIONS - {"library"}:
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            raise LibraryError(f"{path}: '{section}' must be a list.")
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise LibraryError(f"{path}: {section}[{index}] must be a mapping of fields.")
            for key, where in (("references", "criteria"), ("criteria", "standard_provisions")):
                codes = item.get(key)
                if section == where and codes is not None and not isinstance(codes, list):
                    raise LibraryError(f"{path}: {section}[{index}]: '{key}' must be a list of codes.")


def read_library(path: Path) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LibraryError(f"{path}: cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError as exc:
        raise LibraryError(f"{path}: is not UTF-8 text (byte {exc.start}).") from None
    try:
        data = _parse_yaml(text, path)
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path}: is not valid YAML ({exc}).") from None
    if not isinstance(data, dict):
        raise LibraryError(f"{path}: a library file is a YAML mapping of sections.")
    unknown = set(data) - SECTIONS
    if unknown:
        raise LibraryError(f"{path}: unknown sections {', '.join(sorted(map(str, unknown)))}.")
    if ("library" in data) != ("criteria" in data):
        raise LibraryError(f"{path}: a criteria library needs both a 'library' and a 'criteria' section.")
    _check_shape(data, path)
    return data


@transaction.atomic
def library_load(*, paths: list[Path] | tuple[Path, ...] = SHIPPED_LIBRARIES) -> LoadReport:
    """Load library files in order, all or nothing. Loading the same files again changes nothing."""
    report = LoadReport()
    for path in paths:
        data = read_library(path)
        try:
            _load_catalogue_rows(data, report)
            if "library" in data:
                _load_framework(data, report)
            _link_standard_provisions(data)
        except LibraryError as exc:
            raise LibraryError(f"{path}: {exc.message}") from None
    for label in report.frameworks_loaded:
        log_action("frameworks.library.loaded", library=label)
    return report


INSTRUMENT_FILE_TYPES = {
    # extension: the bytes such a file starts with
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "rtf": (b"{\\rtf",),
    "txt": (),
}
INSTRUMENT_FILE_MAX_BYTES = 20 * 1024 * 1024


def validate_instrument_file(upload) -> None:
    """A PDF, Word, OpenDocument, RTF or text file of at most 20 MB whose content matches its name."""
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in INSTRUMENT_FILE_TYPES:
        raise ValidationError(
            _("Upload a PDF, Word, OpenDocument, RTF or plain text file (not .%(ext)s).") % {"ext": extension or "?"},
            code="file_type",
        )
    if upload.size > INSTRUMENT_FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is 20 MB.") % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="file_size",
        )
    signatures = INSTRUMENT_FILE_TYPES[extension]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            _("The file's content is not that of a .%(ext)s file.") % {"ext": extension}, code="file_content"
        )
