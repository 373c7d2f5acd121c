import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from frameworks.selectors import standard_provisions_in_scope
from reviews.models import ReviewCycle
from reviews.permissions import Perm, has_perm, reviews_for

pytestmark = pytest.mark.django_db

# Sign-ins go through django-axes, which needs the request they come with.
SIGN_IN = RequestFactory().post("/accounts/login/")


@override_settings(DEBUG=True)
def test_it_creates_the_demo_states_accounts_and_reviews(capsys):
    call_command("seed_demo", password="demo-password-1")
    demoland = ReviewCycle.objects.get(member_state__code="XD", carried_over_from__isnull=False)
    assert demoland.state == ReviewCycle.State.ASSESSMENT
    rated = demoland.assessments.exclude(rating=None).count()
    assert 0 < rated < demoland.assessments.count()
    assert demoland.member_state.instruments.count() >= 5
    assert demoland.recommendations.filter(support_area__code="legal_policy").count() >= 2
    act = demoland.member_state.instruments.get(title="Border Management Act")
    assert list(act.provisions.values_list("number", flat=True)) == ["1", "2", "3", "4", "4 bis", "9", "10", "11"]
    in_scope = standard_provisions_in_scope(demoland.pk).count()
    named = demoland.gap_entries.exclude(provision=None).values("standard_provision").distinct().count()
    assert 0 < named < in_scope  # half filled: gaps remain

    users = {
        name: authenticate(SIGN_IN, username=name, password="demo-password-1")
        for name in ("adviser", "manager", "counterpart", "counterpart2")
    }
    assert all(users.values())
    assert has_perm(users["adviser"], demoland, Perm.CHANGE)
    assert has_perm(users["manager"], demoland, Perm.APPROVE)
    assert set(reviews_for(users["counterpart"], Perm.VIEW_DRAFTS)) == {demoland, demoland.carried_over_from}
    assert list(reviews_for(users["counterpart2"], Perm.VIEW_DRAFTS).values_list("member_state__code", flat=True)) == [
        "XE"
    ]


@override_settings(DEBUG=True)
def test_it_can_run_twice_and_prints_working_generated_passwords(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert ReviewCycle.objects.filter(member_state__code="XD").count() == 2  # 2023's and its follow-up
    password = re.findall(r"^\s+counterpart\s+(\S+)$", output, re.MULTILINE)[-1]
    assert authenticate(SIGN_IN, username="counterpart", password=password)


@override_settings(DEBUG=False)
def test_it_refuses_to_run_when_debug_is_off_unless_forced():
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        call_command("seed_demo", password="demo-password-1")
    call_command("seed_demo", password="demo-password-1", force=True)
    assert ReviewCycle.objects.filter(member_state__code="XD").exists()


@override_settings(DEBUG=True)
def test_demolands_2023_review_is_followed_up_by_todays():
    from followup.models import Action, Position, ProgressReport
    from followup.selectors import actions_of, period_end

    call_command("seed_demo", password="demo-password-1")
    today = ReviewCycle.objects.get(member_state__code="XD", carried_over_from__isnull=False)
    before = today.carried_over_from
    assert before.state == ReviewCycle.State.FOLLOW_UP and before.start_date.year == 2023
    stances = set(Position.objects.filter(recommendation__review=before).values_list("stance", flat=True))
    assert stances == {"accepted", "amended", "noted"}
    reports = ProgressReport.objects.filter(action__review=before)
    assert {r.period_start.isoformat() for r in reports} == {"2025-07-01", "2026-01-01"}
    late = [r for r in reports if (r.submitted_at.date() - period_end(r.period_start, "half_year")).days > 30]
    assert late and len(late) < reports.count()  # one period's reports came late
    statuses = {a.title: a.status for a in actions_of(before)}
    assert statuses["Amend the Border Management Act on refusals of entry"] == Action.Status.DELAYED
    assert statuses["Adopt the IBM Strategy 2022–2026"] == Action.Status.COMPLETED
    carried = today.recommendations.filter(carried_over_from__isnull=False)
    assert {r.carried_over_from.text[:20] for r in carried} == {"Write standard opera", "Give every person re"}
    assert today.assessments.filter(rating__isnull=False).exists()
