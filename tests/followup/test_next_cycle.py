import re

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.services import next_cycle_open
from frameworks.services import LibraryError, library_load, read_library
from reviews.models import ReviewCycle
from reviews.permissions import Perm, has_perm
from reviews.services import assessment_update

pytestmark = pytest.mark.django_db
JSON = {"content_type": "application/json"}


def test_the_follow_up_review_carries_over_what_is_not_implemented(client, world, approved, focal_point):
    client.force_login(world.adviser)
    url = reverse("reviews:next_cycle", args=[approved.pk])
    assert "Open the follow-up review?" in client.post(url).content.decode()  # asked first
    response = client.post(url, {"confirmed": "1"})
    following = ReviewCycle.objects.get(carried_over_from=approved)
    assert response["Location"] == reverse("reviews:detail", args=[following.pk])
    approved.refresh_from_db()
    assert approved.state == ReviewCycle.State.FOLLOW_UP and following.state == ReviewCycle.State.SCOPING
    (carried,) = following.recommendations.all()
    r2 = approved.recommendations.order_by("pk")[1]
    assert carried.carried_over_from == r2 and carried.text == "Train."  # the wording the government agreed to
    for person in (world.counterpart, focal_point):
        assert has_perm(person, following, Perm.COMMENT)
    assert has_perm(focal_point, following, Perm.REPORT_PROGRESS)
    with pytest.raises(ValidationError):
        next_cycle_open(review=approved, by=world.adviser)

    listing = client.get(reverse("reviews:recommendations", args=[following.pk])).content.decode()
    assert "Carried over from the previous cycle" in listing
    assert reverse("reviews:followup", args=[approved.pk]) in listing  # its history, one click away
    page = client.get(reverse("reviews:cycle_comparison", args=[following.pk])).content.decode()
    assert "Implemented (1)" in page and "Carried over (1)" in page and "Dropped (1)" in page
    workspace = client.get(reverse("reviews:workspace", args=[following.pk]), {"area": "all"}).content.decode()
    card = workspace[workspace.index("LP-01") :].split("</article>")[0]
    assert "Previous cycle: 2 – Partially aligned" in card and "The Aliens Act lacks a decree." in card


def test_the_comparison_shows_the_change_of_each_rating(client, world, approved):
    following = next_cycle_open(review=approved, by=world.adviser)
    lp01 = following.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, rating=4, finding="Decree adopted.")
    client.force_login(world.adviser)
    data = client.get(reverse("api-comparison", args=[following.pk])).json()
    (row,) = [c for c in data["criteria"] if c["code"] == "LP-01"]
    assert (row["before"], row["after"], row["change"]) == ("2", "4", 2)
    legal = next(a for a in data["areas"] if a["area"] == "Legal and policy frameworks")
    assert (legal["before"], legal["after"], legal["change"]) == (2.0, 4.0, 2.0)
    assert len(data["addressed"]) == 1 and len(data["dropped"]) == 1
    assert data["carried_over"][0]["carried_over_from"] == approved.recommendations.order_by("pk")[1].pk
    client.force_login(world.counterpart)  # the working ratings are the IOM team's
    assert client.get(reverse("api-comparison", args=[following.pk])).status_code == 404
    assert client.get(reverse("reviews:cycle_comparison", args=[following.pk])).status_code == 404


def test_a_newer_library_names_what_each_criterion_succeeds(client, world, approved, tmp_path):
    data = read_library(library_path())
    data["library"]["version"] = 2
    for item in data["criteria"]:
        if item["code"] == "LP-01":
            item["code"], item["succeeds"] = "LP-01A", "LP-01"
    new = dict(data["criteria"][0], code="NEW-01", thematic_area="border_management")
    new.pop("succeeds", None)
    data["criteria"].append(new)
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump({"library": data["library"], "criteria": data["criteria"]}), encoding="utf-8")
    library_load(paths=[path])

    following = next_cycle_open(review=approved, by=world.adviser)
    assert following.framework.version == 2
    codes = set(following.assessments.values_list("criterion__code", flat=True))
    assert {"LP-01A", "NEW-01"} <= codes and "LP-01" not in codes
    client.force_login(world.adviser)
    workspace = client.get(reverse("reviews:workspace", args=[following.pk]), {"area": "all"}).content.decode()
    successor = workspace[workspace.index("LP-01A") :].split("</article>")[0]
    assert "The Aliens Act lacks a decree." in successor
    brand_new = workspace[workspace.index("NEW-01") :].split("</article>")[0]
    assert "Previous cycle" not in brand_new  # no predecessor: no baseline, unrated

    data["library"]["version"] = 3
    for item in data["criteria"]:
        if item["code"] == "NEW-01":
            item["succeeds"] = "NOT-A-CODE"
    path.write_text(yaml.safe_dump({"library": data["library"], "criteria": data["criteria"]}), encoding="utf-8")
    with pytest.raises(LibraryError):
        library_load(paths=[path])


def library_path():
    from frameworks.services import SHIPPED_LIBRARIES

    return next(p for p in SHIPPED_LIBRARIES if p.name == "catalogue.yaml")


def test_the_api_opens_the_follow_up_review_once_and_only_for_the_team(client, world, approved):
    url = reverse("api-next-cycle", args=[approved.pk])
    client.force_login(world.counterpart_other_state)
    assert client.post(url, **JSON).status_code == 404
    client.force_login(world.manager)
    assert client.post(url, **JSON).status_code == 403
    client.force_login(world.adviser)
    opened = client.post(url, **JSON)
    assert opened.status_code == 201
    assert ReviewCycle.objects.get(pk=opened.json()["id"]).carried_over_from == approved
    assert client.post(url, **JSON).status_code == 400


def test_the_follow_up_reviews_report_has_a_chapter_on_the_previous_cycle(world, approved):
    from reports.services import report_request
    from tests.consultation.test_integrity import pdf_text

    following = next_cycle_open(review=approved, by=world.adviser)
    lp01 = following.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, rating=3, finding="Decree drafted.")
    text = pdf_text(report_request(review=following, by=world.adviser, language="en"))
    chapter = text[text.rindex("Since the previous cycle") :]
    assert re.search(r"LP-01 [^+]*? 2 – Partially aligned 3 – Largely aligned \+1", chapter)
    assert "Carried over into this review" in chapter and "Train." in chapter
    assert "Since the previous cycle" not in pdf_text(report_request(review=approved, by=world.adviser))
