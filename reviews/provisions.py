"""Writes to the provisions of a member state's national instruments, by the advisers on one of the state's
reviews (the right comes from the review team, as for the instruments: reviews.instruments).

A provision is typed by hand, or found by splitting the instrument's file (frameworks.splitting) in a worker; the
articles found wait as a preview the adviser corrects (merge, split, renumber) before any is saved. Saving an
article whose number the instrument has already with another text makes a new version of it: the old text stays,
no longer current, where findings and the gap matrix cite it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core.log import log_action
from core.queue import queue_on_commit
from frameworks import splitting
from frameworks.models import NationalInstrument, Provision, ProvisionSplit
from reviews.permissions import Perm, has_state_perm

MAX_TEXT = 100_000


def _may_change(by, instrument: NationalInstrument) -> None:
    if not has_state_perm(by, instrument.member_state, Perm.CHANGE):
        raise PermissionDenied


def _clean(number: str, heading: str, text: str) -> tuple[str, str, str]:
    number, heading, text = " ".join(str(number).split()), " ".join(str(heading).split()), str(text).strip()
    errors = {}
    ProhibitNullCharactersValidator()(number + heading + text)  # the database refuses it
    if not number:
        errors["number"] = _("Give the article's number.")
    elif len(number) > 30:
        errors["number"] = _("An article's number has 30 characters at most.")
    if len(heading) > 300:
        errors["heading"] = _("A heading has 300 characters at most.")
    if not text:
        errors["text"] = _("Give the article's text.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("An article's text has 100,000 characters at most: split it.")
    if errors:
        raise ValidationError(errors)
    return number, heading, text


def _next_order(instrument: NationalInstrument) -> int:
    last = instrument.provisions.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 10


def _write(instrument, by, number, heading, text, *, order=None, amended_on=None) -> tuple[Provision, str]:
    """Create the provision, or a new version of the current one with that number when its text changed.
    Returns it and what happened: "created", "amended", "renamed" (heading only) or "unchanged"."""
    current = instrument.provisions.filter(number=number, is_current=True).first()
    if current is None:
        provision = Provision.objects.create(
            instrument=instrument,
            number=number,
            heading=heading,
            text=text,
            order=_next_order(instrument) if order is None else order,
            created_by=by,
        )
        return provision, "created"
    if current.text == text:
        if current.heading != heading:
            current.heading = heading
            current.save(update_fields=["heading"])
            return current, "renamed"
        return current, "unchanged"
    return _amended(current, by, number, heading, text, amended_on), "amended"


def _amended(current: Provision, by, number: str, heading: str, text: str, amended_on) -> Provision:
    """The provision's next version, in its place; the current one stays, no longer current, where it is cited."""
    Provision.objects.filter(pk=current.pk).update(is_current=False)
    return Provision.objects.create(
        instrument=current.instrument,
        number=number,
        heading=heading,
        text=text,
        order=current.order,
        version=current.version + 1,
        previous=current,
        amended_on=amended_on,
        created_by=by,
    )


@transaction.atomic
def provision_create(*, instrument: NationalInstrument, by, number: str, heading: str = "", text: str) -> Provision:
    """Type an article of an instrument by hand. A number the instrument has already is refused: change that
    article instead (an amendment keeps its old text)."""
    _may_change(by, instrument)
    number, heading, text = _clean(number, heading, text)
    if instrument.provisions.filter(number=number, is_current=True).exists():
        raise ValidationError({"number": _("The instrument has an article %(number)s already.") % {"number": number}})
    provision, _done = _write(instrument, by, number, heading, text)
    log_action("instruments.provision.created", by=by, obj=provision, state=instrument.member_state.code)
    return provision


@transaction.atomic
def provision_change(
    *,
    provision: Provision,
    by,
    number: str,
    heading: str,
    text: str,
    amendment: bool,
    amended_on: datetime.date | None = None,
) -> Provision:
    """Correct a provision in place, or (`amendment`) record the amended text as its new version: the old one
    stays where it is cited. Only the current version changes."""
    instrument = provision.instrument
    _may_change(by, instrument)
    if not provision.is_current:
        raise ValidationError(_("This is an earlier version of the article: change the current one."))
    number, heading, text = _clean(number, heading, text)
    if number != provision.number and instrument.provisions.filter(number=number, is_current=True).exists():
        raise ValidationError({"number": _("The instrument has an article %(number)s already.") % {"number": number}})
    before = {"number": provision.number, "heading": provision.heading, "text": provision.text}
    if amendment and text != provision.text:
        changed, action = _amended(provision, by, number, heading, text, amended_on), "instruments.provision.amended"
    else:
        provision.number, provision.heading, provision.text = number, heading, text
        provision.save(update_fields=["number", "heading", "text"])
        changed, action = provision, "instruments.provision.changed"
    changes = {
        name: (value, getattr(changed, name)) for name, value in before.items() if value != getattr(changed, name)
    }
    log_action(action, by=by, obj=changed, changes={k: [str(a)[:200], str(b)[:200]] for k, (a, b) in changes.items()})
    return changed


# Splitting a file ---------------------------------------------------------------------------------------------


@transaction.atomic
def provisions_split_start(*, instrument: NationalInstrument, by) -> ProvisionSplit:
    """Split the instrument's file into articles, in a worker: the preview waits for the adviser."""
    _may_change(by, instrument)
    if not instrument.file:
        raise ValidationError(_("The instrument has no file: attach its text first, or type its articles."))
    split = ProvisionSplit.objects.create(instrument=instrument, created_by=by)
    log_action("instruments.provisions.split_asked", by=by, obj=split, state=instrument.member_state.code)
    queue_on_commit("reviews.split_provisions", split.pk)
    return split


def provisions_split_run(split_id: int) -> None:
    """The worker's part: the file's text cut into articles, or the reason it could not be."""
    split = ProvisionSplit.objects.select_related("instrument").get(pk=split_id)
    if split.state != ProvisionSplit.State.SPLITTING:
        return

    def progress(percent: int) -> None:
        ProvisionSplit.objects.filter(pk=split.pk).update(progress=percent)

    try:
        progress(5)
        with split.instrument.file.open("rb") as file:
            data = file.read()
        found = splitting.split_file(split.instrument.file.name, data, progress)
    except ValidationError as exc:
        split.state, split.message = ProvisionSplit.State.FAILED, " ".join(exc.messages)[:300]
    else:
        split.state, split.found = ProvisionSplit.State.READY, splitting.as_dict(found)
        if not found.split:
            split.message = _("No article heading was found: the whole text is one article; split it by hand.")
        elif found.structure:
            split.message = _("Headings of chapters and parts, not part of any article: %(headings)s") % {
                "headings": "; ".join(found.structure)
            }
    split.progress = 100
    split.save(update_fields=["state", "found", "message", "progress"])


def provisions_split_failed(split_id: int) -> None:
    ProvisionSplit.objects.filter(pk=split_id, state=ProvisionSplit.State.SPLITTING).update(
        state=ProvisionSplit.State.FAILED, message=_("The file could not be split."), progress=100
    )


SPLIT_MARK = "---"  # a line of its own in a preview's text: the article is cut there


def preview_rows(rows: list[dict]) -> list[dict]:
    """The preview as the adviser corrected it: a row marked `merge` joins the one above (its heading and text
    appended), a line "---" in a text cuts it in two (the second gets the number written after the mark, else
    none), rows not kept are left out. Each row: number, heading, text, keep, merge."""
    result: list[dict] = []
    for row in rows:
        if not row.get("keep", True):
            continue
        if row.get("merge") and result:
            above = result[-1]
            extra = "\n".join(part for part in (row.get("heading", ""), row.get("text", "")) if part.strip())
            above["text"] = f"{above['text']}\n{extra}".strip()
            continue
        parts = str(row.get("text", "")).split(f"\n{SPLIT_MARK}")
        result.append({"number": row.get("number", ""), "heading": row.get("heading", ""), "text": parts[0].strip()})
        for part in parts[1:]:
            first, _sep, rest = part.lstrip("-").lstrip("\n").partition("\n")
            result.append({"number": first.strip(), "heading": "", "text": rest.strip()})
    return result


@transaction.atomic
def provisions_split_save(*, split: ProvisionSplit, by, rows: list[dict]) -> dict[str, int]:
    """Save the articles of a corrected preview (see preview_rows), all or none: a new number is a new provision,
    a number the instrument has with another text a new version of it. One entry in the action log."""
    instrument = split.instrument
    _may_change(by, instrument)
    if split.state != ProvisionSplit.State.READY:
        raise ValidationError(_("This split is not waiting to be saved."))
    articles = preview_rows(rows)
    if not articles:
        raise ValidationError(_("Keep at least one article."))
    errors, seen = [], set()
    cleaned = []
    for index, article in enumerate(articles, start=1):
        try:
            number, heading, text = _clean(article["number"], article["heading"], article["text"])
        except ValidationError as exc:
            errors.append(_("Article %(index)d: %(problem)s") % {"index": index, "problem": " ".join(exc.messages)})
            continue
        if number in seen:
            errors.append(
                _("Article %(index)d: the number %(number)s is used twice.") % {"index": index, "number": number}
            )
        seen.add(number)
        cleaned.append((number, heading, text))
    if errors:
        raise ValidationError(errors)
    counts = {"created": 0, "amended": 0, "renamed": 0, "unchanged": 0}
    base = _next_order(instrument)
    for position, (number, heading, text) in enumerate(cleaned):
        _provision, done = _write(instrument, by, number, heading, text, order=base + 10 * position)
        counts[done] += 1
    split.state = ProvisionSplit.State.SAVED
    split.save(update_fields=["state"])
    log_action("instruments.provisions.saved", by=by, obj=split, state=instrument.member_state.code, **counts)
    return counts
