"""Writes to a member state's national instruments, by the advisers on one of the state's reviews: the right to
them comes from the review team (reviews.permissions), so the services live here, above the catalogue."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.log import log_action
from frameworks.models import MemberState, NationalInstrument
from frameworks.services import validate_instrument_file
from reviews.permissions import Perm, has_state_perm

INSTRUMENT_FIELDS = (
    "title",
    "instrument_type",
    "support_area",
    "date",
    "status",
    "reference",
    "url",
    "language",
    "file",
)


@transaction.atomic
def instrument_create(*, member_state: MemberState, by, **fields) -> NationalInstrument:
    """Record a national instrument of a member state, by an adviser on one of the state's reviews."""
    if not has_state_perm(by, member_state, Perm.CHANGE):
        raise PermissionDenied
    if fields.get("file"):
        validate_instrument_file(fields["file"])
    instrument = NationalInstrument(member_state=member_state, created_by=by, **fields)
    instrument.full_clean()
    instrument.save()
    log_action("instruments.instrument.created", by=by, obj=instrument, state=member_state.code)
    return instrument


@transaction.atomic
def instrument_update(*, instrument: NationalInstrument, by, **fields) -> NationalInstrument:
    if not has_state_perm(by, instrument.member_state, Perm.CHANGE):
        raise PermissionDenied
    unknown = set(fields) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown instrument fields: {', '.join(sorted(unknown))}")
    if fields.get("file") and fields["file"] != instrument.file:
        validate_instrument_file(fields["file"])
    changes = {name: (getattr(instrument, name), value) for name, value in fields.items()}
    for name, value in fields.items():
        setattr(instrument, name, value)
    instrument.full_clean()
    instrument.save()
    changes = {name: pair for name, pair in changes.items() if str(pair[0]) != str(pair[1])}
    log_action("instruments.instrument.changed", by=by, obj=instrument, changes=changes)
    return instrument
