"""The legal gap matrix of a review: for every standard provision the criteria in scope ask about, the national
provisions that implement it, each with a verdict and a comment. A standard provision that no entry pairs with a
national provision is a gap.

Entries are edited like findings: an autosave names the version it started from, and is refused (StaleEdit)
when someone saved since; every write locks the review first (ensure_open), so none lands once it is approved."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.log import log_action
from frameworks import selectors
from frameworks.models import Provision, StandardProvision
from reviews.models import GapEntry, ReviewCycle
from reviews.permissions import Perm, has_perm
from reviews.services import StaleEdit, _record_changes, ensure_open

ENTRY_FIELDS = ("verdict", "comment")


def standard_provisions_in_scope(review: ReviewCycle):
    return selectors.standard_provisions_in_scope(review.pk)


def national_provisions(review: ReviewCycle):
    """The current provisions of the reviewed state's instruments: those an entry may name."""
    return (
        Provision.objects.filter(instrument__member_state_id=review.member_state_id, is_current=True)
        .select_related("instrument")
        .order_by("instrument__title", "order")
    )


def gap_matrix(review: ReviewCycle) -> list[dict]:
    """The matrix as the page, the report and the export read it: one group per international instrument, each
    standard provision with its criteria, its entries and whether it is a gap."""
    entries = GapEntry.objects.select_related("provision__instrument", "updated_by").order_by("pk")
    standards = standard_provisions_in_scope(review).prefetch_related(
        Prefetch("criteria", to_attr="asked_by"),
    )
    by_standard: dict[int, list[GapEntry]] = {}
    for entry in entries.filter(review=review):
        by_standard.setdefault(entry.standard_provision_id, []).append(entry)
    codes = set(review.assessments.values_list("criterion__code", flat=True))
    groups: dict[int, dict] = {}
    for standard in standards:
        rows = by_standard.get(standard.pk, [])
        group = groups.setdefault(standard.reference_id, {"reference": standard.reference, "standards": []})
        group["standards"].append(
            {
                "standard": standard,
                "criteria": sorted({c.code for c in standard.asked_by} & codes),
                "entries": rows,
                "is_gap": not any(entry.provision_id for entry in rows),
            }
        )
    return list(groups.values())


def _may_change(by, review: ReviewCycle) -> None:
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied


@transaction.atomic
def gap_entry_add(*, review: ReviewCycle, by, standard_provision: StandardProvision, provision=None) -> GapEntry:
    """Pair a standard provision in scope with a national provision of the state (or, without one, open the note
    that says what is missing)."""
    _may_change(by, review)
    ensure_open(review)
    if not standard_provisions_in_scope(review).filter(pk=standard_provision.pk).exists():
        raise ValidationError(_("No criterion in the review's scope asks about this standard provision."))
    if provision is not None and (
        provision.instrument.member_state_id != review.member_state_id or not provision.is_current
    ):
        raise ValidationError(_("Only the current provisions of the reviewed state's instruments can be named."))
    try:
        with transaction.atomic():
            entry = GapEntry.objects.create(
                review=review, standard_provision=standard_provision, provision=provision, updated_by=by
            )
    except IntegrityError:
        raise ValidationError(_("This provision is in the matrix already for that standard.")) from None
    log_action(
        "review.gap_entry.added",
        by=by,
        obj=entry,
        review_id=review.pk,
        standard=standard_provision.code,
        provision=str(provision or ""),
    )
    return entry


@transaction.atomic
def gap_entry_update(*, entry: GapEntry, by, version: int, **changes) -> GapEntry:
    """Save the verdict and comment of an entry, refusing the save if someone saved since `version`."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown gap entry fields: {', '.join(sorted(unknown))}")
    _may_change(by, entry.review)
    ensure_open(entry.review_id)
    current = GapEntry.objects.select_for_update(of=("self",)).select_related("review").get(pk=entry.pk)
    if current.version != version:
        raise StaleEdit(current)
    before = {name: getattr(current, name) for name in ENTRY_FIELDS}
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["review", "standard_provision", "provision", "updated_by"], validate_constraints=False)
    after = {name: getattr(current, name) for name in ENTRY_FIELDS}
    if after == before:
        return current
    current.version += 1
    current.updated_by = by
    current.save()
    _record_changes(
        action="review.gap_entry.changed", obj=current, review_id=current.review_id, by=by, before=before, after=after
    )
    return current


@transaction.atomic
def gap_entry_remove(*, entry: GapEntry, by) -> None:
    _may_change(by, entry.review)
    ensure_open(entry.review_id)
    log_action(
        "review.gap_entry.removed",
        by=by,
        obj=entry,
        review_id=entry.review_id,
        standard=entry.standard_provision.code,
        provision=str(entry.provision or ""),
        verdict=entry.verdict,
        comment=entry.comment[:500],
    )
    entry.delete()
