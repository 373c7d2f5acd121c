"""Who may do what with a review: the one module that grants and checks per-review permissions.

django-guardian stores the object permissions; nothing else in the project calls it. A role is a bundle of
permissions granted on one review. IOM managers may also hold a permission on every review, through the
Managers group, which guardian reads as a global permission.
"""

import re
from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_perms, get_users_with_perms, remove_perm

from frameworks.models import MemberState
from reviews.models import ReviewCycle, ReviewGroupPermission, ReviewUserPermission

STATE_CODE = re.compile(r"[A-Z]{2}")


class Perm(StrEnum):
    VIEW = "view_reviewcycle"  # the working state: assessments, internal notes, unpublished text
    CHANGE = "change_reviewcycle"
    VIEW_DRAFTS = "view_drafts_reviewcycle"  # the published drafts only
    COMMENT = "comment_reviewcycle"
    APPROVE = "approve_reviewcycle"
    DOWNLOAD_REPORT = "download_report_reviewcycle"
    REPORT_PROGRESS = "report_progress_reviewcycle"  # a focal point of the state: the action plan's progress


class Role(StrEnum):
    ADVISER = "adviser"
    COUNTERPART = "counterpart"
    MANAGER = "manager"
    FOCAL_POINT = "focal_point"  # a counterpart who also reports the progress of the action plan


ROLE_PERMS: dict[Role, tuple[Perm, ...]] = {
    Role.ADVISER: (Perm.VIEW, Perm.CHANGE, Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.DOWNLOAD_REPORT),
    Role.COUNTERPART: (Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.DOWNLOAD_REPORT),
    Role.MANAGER: (Perm.VIEW, Perm.VIEW_DRAFTS, Perm.APPROVE, Perm.DOWNLOAD_REPORT),
    Role.FOCAL_POINT: (Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.DOWNLOAD_REPORT, Perm.REPORT_PROGRESS),
}
OF_THE_STATE = (Role.COUNTERPART, Role.FOCAL_POINT)

# The groups of DESIGN.md section 1, with the permissions their members hold on every review. Advisers may
# open reviews, and see those they are named on; counterparts see only the reviews they are invited to.
ADD_REVIEW = "add_reviewcycle"
GROUPS = {
    "Advisers": (ADD_REVIEW,),
    "Counterparts": (),
    "Managers": ROLE_PERMS[Role.MANAGER],
    "Administrators": (),
}


def _full(perm: str) -> str:
    return f"reviews.{perm}"


def grant_role(*, review: ReviewCycle, user, role: Role) -> None:
    """Give a user a role on one review. A counterpart must belong to the review's member state."""
    if role in OF_THE_STATE and user.member_state_id != review.member_state_id:
        raise ValidationError(
            _("%(user)s is not a counterpart of %(state)s and cannot be given access to its review.")
            % {"user": user, "state": review.member_state}
        )
    if role not in OF_THE_STATE and user.member_state_id is not None:
        raise ValidationError(_("%(user)s is a government counterpart and cannot join the IOM team.") % {"user": user})
    for perm in ROLE_PERMS[role]:
        assign_perm(_full(perm), user, review)
    _permissions_changed()


def revoke_access(*, review: ReviewCycle, user) -> None:
    """Withdraw every permission the user holds on this review, including any granted outside the roles."""
    for perm in get_perms(user, review):
        remove_perm(_full(perm), user, review)
    _permissions_changed()


CACHE = "_iomborder_review_perms"
# Raised by every grant and withdrawal in this process: a cache made before it is read again.
_generation = [0]


def _object_perms(user, review: ReviewCycle) -> set[str]:
    """The user's permissions on this review (their own grants and their groups'), read once per request: the
    cache lives on the user object, which is made anew for each request, and is dropped after any grant or
    withdrawal in the process (the same person may be held by two objects, in a test or a management command)."""
    generation, cache = user.__dict__.get(CACHE, (None, None))
    if generation != _generation[0]:
        cache = {}
        user.__dict__[CACHE] = (_generation[0], cache)
    if review.pk not in cache:
        # The reviews' own tables, in one statement (guardian's get_perms reads them in two, with its lookups).
        mine = ReviewUserPermission.objects.filter(user=user, content_object=review)
        groups = ReviewGroupPermission.objects.filter(group__user=user, content_object=review)
        codenames = mine.values_list("permission__codename", flat=True).union(
            groups.values_list("permission__codename", flat=True)
        )
        cache[review.pk] = set(codenames)
    return cache[review.pk]


def _permissions_changed() -> None:
    _generation[0] += 1


def has_perm(user, review: ReviewCycle, perm: Perm) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    # A permission on this review, or on every review (the Managers group; Django caches it on the user). Asked
    # in this order, the team of a review is answered in one query, not three.
    return perm in _object_perms(user, review) or user.has_perm(_full(perm))


def holds_everywhere(user, perm: Perm) -> bool:
    """Whether the user holds the permission on every review (the Managers group; Django caches it on the user)."""
    return user.is_authenticated and user.is_active and user.has_perm(_full(perm))


def reviews_for(user, *perms: Perm) -> QuerySet[ReviewCycle]:
    """The reviews on which the user holds any of the permissions (VIEW when none is named): every review for a
    permission held on all of them (the Managers group), else those granted to the user or to their groups.

    Read from the reviews' own permission tables, one indexed subquery (guardian's get_objects_for_user ORs a
    user's and a group's grants, which makes PostgreSQL scan every review)."""
    perms = perms or (Perm.VIEW,)
    if not (user.is_authenticated and user.is_active):
        return ReviewCycle.objects.none()
    if any(holds_everywhere(user, perm) for perm in perms):
        return ReviewCycle.objects.all()
    codenames = [perm.value for perm in perms]
    granted = ReviewUserPermission.objects.filter(user=user, permission__codename__in=codenames)
    to_groups = ReviewGroupPermission.objects.filter(group__user=user, permission__codename__in=codenames)
    return ReviewCycle.objects.filter(
        pk__in=granted.values("content_object_id").union(to_groups.values("content_object_id"))
    )


def get_review_for(user, pk, perm: Perm = Perm.VIEW) -> ReviewCycle:
    """The review, or 404 when the user may not use it that way: an id the user may not see reveals nothing."""
    try:
        review = ReviewCycle.objects.select_related("member_state", "framework").get(pk=pk)
    except (ReviewCycle.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_perm(user, review, perm):
        raise Http404
    return review


def states_for(user, perm: Perm = Perm.VIEW) -> QuerySet[MemberState]:
    """The member states of the reviews on which the user holds the permission: whose instruments they keep."""
    return MemberState.objects.filter(pk__in=reviews_for(user, perm).values("member_state"))


def has_state_perm(user, state: MemberState, perm: Perm) -> bool:
    return states_for(user, perm).filter(pk=state.pk).exists()


def get_state_for(user, code: str, perm: Perm = Perm.VIEW) -> MemberState:
    """The member state, or 404 unless the user holds the permission on one of its reviews."""
    code = str(code).upper()
    if not STATE_CODE.fullmatch(code):  # a NUL byte or a novel would only reach the database to fail there
        raise Http404
    state = states_for(user, perm).filter(code=code).first()
    if state is None:
        raise Http404
    return state


def members_of(review: ReviewCycle, role: Role) -> list:
    """The users named on the review with that role (a role's defining permission, granted on the review)."""
    defining = {
        Role.ADVISER: Perm.CHANGE,
        Role.MANAGER: Perm.APPROVE,
        Role.COUNTERPART: Perm.VIEW_DRAFTS,
        Role.FOCAL_POINT: Perm.REPORT_PROGRESS,
    }[role]
    users = get_users_with_perms(review, only_with_perms_in=[defining], with_group_users=False)
    if role in OF_THE_STATE:
        users = users.filter(member_state__isnull=False)
    return sorted(users, key=lambda u: u.username)


def can_open_reviews(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(_full(ADD_REVIEW)))


# Administrators keep the catalogue and the accounts (in the admin site, as staff members).
ADMINISTERED_APPS = ("frameworks", "iomborder")


def ensure_groups() -> dict[str, Group]:
    """Create the four groups and give them their permissions (Managers: on every review). Idempotent."""
    groups = {}
    for name, perms in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for perm in perms:
            assign_perm(_full(perm), group)
        groups[name] = group
    groups["Administrators"].permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS))
    return groups
