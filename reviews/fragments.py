"""The workspace's criteria, each rendered once for what it shows: a fragment cache keyed by content.

A criterion's form (reviews/_criteria.html) is the workspace's main cost: two hundred of them are most of the
page's time. Between two loads of the page almost none of them changes, so each is kept in the shared cache
under a digest of everything it shows: the assessment's values and version, its criterion, the instruments it
cites, the previous cycle's baseline, whether the reader may change it, the reader's time zone and language,
and the templates and translations it is made from. A change to any of these is a new key, so a fragment is
never stale and nothing has to be invalidated; old fragments expire. The one thing that differs between
readers of the same criterion, the CSRF token, is put in after. When the cache cannot be reached the criteria
are rendered as usual.
"""

import functools
import hashlib
import logging
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

TEMPLATE = "reviews/_criteria.html"
# Templates and translations only change with a release: a fragment outlives many edits, not a release.
LIFETIME = 7 * 24 * 3600
# Stands for the reader's CSRF token in a kept fragment. Django's forms refuse the NUL character, so no text a
# person typed can contain it.
TOKEN = "\x00token\x00"  # noqa: S105 - a placeholder, not a secret


def _made_of(language: str) -> str:
    """A digest of what every fragment in `language` is made from besides its data: the templates, our
    translations and Django's date formats."""
    digest = hashlib.blake2b(django.__version__.encode(), digest_size=8)
    for name in (TEMPLATE, "reviews/_rating.html"):
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for folder in settings.LOCALE_PATHS:
        catalogue = Path(folder) / language / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return f"criterion:{language}:{digest.hexdigest()}:"


_made_of_in_release = functools.cache(_made_of)  # templates change without a restart only while developing


def _baseline(assessment) -> tuple | None:
    """What the fragment shows of the previous cycle's assessment (a follow-up review), if any."""
    baseline = getattr(assessment, "baseline", None)
    return (baseline.rating_key, baseline.finding) if baseline is not None else None


def _key(prefix: str, assessment, context: dict) -> str:
    criterion = assessment.criterion
    shown = (
        assessment.pk,
        assessment.version,
        assessment.rating_key,
        assessment.finding,
        assessment.internal_note,
        assessment.is_restricted,
        str(assessment.updated_by) if assessment.updated_by_id else None,
        assessment.updated_at,
        criterion.code,
        criterion.title,
        criterion.guidance,
        criterion.thematic_area.name,
        assessment.references,
        assessment.cited,
        assessment.cited_provisions,
        _baseline(assessment),
        context["can_change"],
        context["assessments_url"],
        context["history_url"],
    )
    return prefix + hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


ARTICLE = '<article class="criterion"'


def _render(assessments: list, context: dict) -> list[str]:
    """Each assessment's fragment, rendered in one pass of the template and cut where each criterion's article
    begins (the text of an article cannot hold it: what people typed is escaped)."""
    if not assessments:
        return []
    html = get_template(TEMPLATE).render({**context, "token": TOKEN, "assessments": assessments})
    _before, *articles = html.split(ARTICLE)
    if len(articles) != len(assessments):
        raise ValueError(f"{TEMPLATE} must make one {ARTICLE}> per assessment")
    return [ARTICLE + article for article in articles]


def criteria_html(groups: list[list], context: dict) -> list[SafeString]:
    """The criteria's forms of each group of assessments (the workspace's support areas), as
    reviews/_criteria.html renders them with `context` (reviews.views' _criteria_context), from the cache where
    it has them: one read and at most one write of the cache for the page."""
    language = translation.get_language()
    prefix = (_made_of if settings.DEBUG else _made_of_in_release)(language)
    prefix += timezone.get_current_timezone_name() + ":"
    keys = [[_key(prefix, assessment, context) for assessment in group] for group in groups]
    try:
        kept = cache.get_many([key for group in keys for key in group]) if any(keys) else {}
    except Exception:  # any failure of the cache: the page is made without it
        logger.warning("The fragment cache could not be read; the criteria are rendered.", exc_info=True)
        kept = None
    found = kept or {}
    missing = {}  # the criteria to render, once each, by key
    for group_keys, group in zip(keys, groups, strict=True):
        for key, assessment in zip(group_keys, group, strict=True):
            if key not in found:
                missing.setdefault(key, assessment)
    made = dict(zip(missing, _render(list(missing.values()), context), strict=True))
    fragments = {**found, **made}
    pages = ["".join(fragments[key] for key in group_keys) for group_keys in keys]
    if made and kept is not None:
        try:
            cache.set_many(made, timeout=LIFETIME)
        except Exception:  # the next load of the page tries again
            logger.warning("The fragment cache could not be written.", exc_info=True)
    token = context["token"]
    return [mark_safe(html.replace(TOKEN, token)) for html in pages]  # noqa: S308 - rendered by our template
