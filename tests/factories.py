"""Test data: factories for the models, and a `World` with one user of every kind around two reviews."""

import datetime
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from frameworks.models import AssessmentFramework, MemberState, NationalInstrument, SupportArea, ThematicArea
from frameworks.selectors import current_framework
from reviews.models import Assessment, ReviewCycle, ReviewUserPermission
from reviews.permissions import ROLE_PERMS, Role, ensure_groups, grant_role
from reviews.services import review_create

PASSWORD = "correct-horse-battery"


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberState
        django_get_or_create = ("code",)

    code = "XD"
    name_en = factory.LazyAttribute(lambda o: f"State {o.code}")
    name_fr = factory.LazyAttribute(lambda o: f"État {o.code}")
    name_es = factory.LazyAttribute(lambda o: f"Estado {o.code}")
    is_fictional = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username)  # shown by name: the tests read the user name
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    email_verified = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if extracted:
            ensure_groups()
            self.groups.set(Group.objects.filter(name__in=extracted))


def adviser(username="adviser", **kwargs):
    return UserFactory(username=username, groups=["Advisers"], **kwargs)


def counterpart(username, state, **kwargs):
    return UserFactory(username=username, member_state=state, groups=["Counterparts"], **kwargs)


def framework():
    return AssessmentFramework.objects.get(code="iom-ibm-policy-review", version=1)


def make_review(by, state, title="Review", areas=("border_management",), **kwargs) -> ReviewCycle:
    return review_create(
        by=by,
        member_state=state,
        title=title,
        framework=framework(),
        thematic_areas=list(ThematicArea.objects.filter(code__in=areas)),
        **kwargs,
    )


def make_instrument(state, title="Border Act", **kwargs) -> NationalInstrument:
    return NationalInstrument.objects.create(
        member_state=state,
        title=title,
        instrument_type=kwargs.pop("instrument_type", "law"),
        support_area=kwargs.pop("support_area", None) or SupportArea.objects.get(code="legal_policy"),
        **kwargs,
    )


@dataclass
class World:
    demoland: MemberState
    examplia: MemberState
    review: ReviewCycle  # Demoland's review
    other_review: ReviewCycle  # Examplia's review
    adviser: object  # on the team of both reviews
    adviser_off_team: object
    counterpart: object  # Demoland, invited to Demoland's review
    counterpart_not_invited: object  # Demoland, not invited
    counterpart_other_state: object  # Examplia, invited to Examplia's review
    manager: object  # Managers group: every review

    @classmethod
    def build(cls) -> "World":
        demoland = MemberStateFactory(code="XD", name_en="Demoland")
        examplia = MemberStateFactory(code="XE", name_en="Examplia")
        team_adviser = adviser("adviser")
        review = make_review(team_adviser, demoland, "Demoland review")
        other_review = make_review(team_adviser, examplia, "Examplia review")
        invited = counterpart("counterpart", demoland)
        other = counterpart("counterpart2", examplia)
        grant_role(review=review, user=invited, role=Role.COUNTERPART)
        grant_role(review=other_review, user=other, role=Role.COUNTERPART)
        return cls(
            demoland=demoland,
            examplia=examplia,
            review=review,
            other_review=other_review,
            adviser=team_adviser,
            adviser_off_team=adviser("adviser_off_team"),
            counterpart=invited,
            counterpart_not_invited=counterpart("counterpart_uninvited", demoland),
            counterpart_other_state=other,
            manager=UserFactory(username="manager", groups=["Managers"]),
        )


def make_library(tmp_path, size: int, code: str = "bench") -> AssessmentFramework:
    """A criteria library of `size` criteria spread over every support and thematic area."""
    import yaml

    from frameworks.services import library_load

    areas = list(SupportArea.objects.values_list("code", flat=True))
    themes = list(ThematicArea.objects.values_list("code", flat=True))
    text = {"en": "Criterion", "fr": "Critère", "es": "Criterio"}
    guidance = {"en": "Look for the law. " * 10, "fr": "Rechercher la loi. " * 10, "es": "Buscar la ley. " * 10}
    data = {
        "library": {"code": code, "version": 1, "name": {"en": code, "fr": code, "es": code}},
        "criteria": [
            {
                "code": f"C-{n:03d}",
                "support_area": areas[n % len(areas)],
                "thematic_area": themes[n % len(themes)],
                "references": ["sdg-10-7", "gcm-11"],
                "title": {lang: f"{value} {n}" for lang, value in text.items()},
                "guidance": guidance,
            }
            for n in range(size)
        ],
    }
    path = tmp_path / f"{code}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library_load(paths=[path])
    return AssessmentFramework.objects.get(code=code, version=1)


def make_review_on(framework: AssessmentFramework, by, state, **kwargs) -> ReviewCycle:
    """A review with every criterion of the library in scope."""
    return review_create(
        by=by,
        member_state=state,
        title=kwargs.pop("title", "Large review"),
        framework=framework,
        thematic_areas=list(ThematicArea.objects.all()),
        criteria=list(framework.criteria.all()),
        **kwargs,
    )


def make_people(count: int, prefix: str = "portfolio") -> list:
    """`count` advisers, written in bulk."""
    get_user_model().objects.bulk_create(
        UserFactory.build(username=f"{prefix}-{n}", first_name=f"P{n}") for n in range(count)
    )
    people = list(get_user_model().objects.filter(username__startswith=f"{prefix}-").order_by("pk"))
    Group.objects.get(name="Advisers").user_set.add(*people)
    return people


def make_portfolio(*, reviews: int, people: list, permissions: int, criteria_per_review: int = 0) -> None:
    """A portfolio at the scale of the division, written in bulk (no service, no log: data to measure with):
    `reviews` reviews of the current catalogue over every member state, about `permissions` object permissions
    spread over `people` (each an adviser on some reviews), and `criteria_per_review` assessments a review."""
    framework = current_framework()
    states = list(MemberState.objects.all())
    made = ReviewCycle.objects.bulk_create(
        ReviewCycle(
            member_state=states[n % len(states)],
            title=f"Review {n} of {states[n % len(states)].code}",
            framework=framework,
            created_by=people[n % len(people)],
            due_date=datetime.date(2027, 1, 1) + datetime.timedelta(days=n % 700),
        )
        for n in range(reviews)
    )
    codenames = [perm.value for perm in ROLE_PERMS[Role.ADVISER]]
    perms = list(Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
    per_person = max(1, permissions // (len(perms) * len(people)))
    ReviewUserPermission.objects.bulk_create(
        (
            ReviewUserPermission(user=person, content_object=made[(p * per_person + k) % len(made)], permission=perm)
            for p, person in enumerate(people)
            for k in range(per_person)
            for perm in perms
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )
    criteria = list(framework.criteria.values_list("pk", flat=True)[:criteria_per_review])
    Assessment.objects.bulk_create(
        (
            Assessment(review=review, criterion_id=criterion, rating=(review.pk + criterion) % 5 or None)
            for review in made
            for criterion in criteria
        ),
        batch_size=5000,
    )
