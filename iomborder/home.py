"""What the home page shows each person: the lines of their day, by what they do on the reviews.

An adviser (who assesses reviews) sees the criteria still to assess, the threads waiting for an answer, the
reviews coming due and the reports ready; a counterpart sees the drafts open for comment and the answers to
their threads; a manager sees the reviews waiting for approval, the overdue ones and the portfolio's figures.
Every line is a few queries with a limit: the page costs the same for one review or a thousand.
"""

from dataclasses import dataclass, field

from consultation.selectors import (
    answers_to_my_threads,
    drafts_open_for_comment,
    name_the_items,
    threads_to_answer,
)
from reports.selectors import reports_ready_for
from reviews.models import ReviewCycle
from reviews.permissions import Perm, can_open_reviews, holds_everywhere
from reviews.selectors import portfolio_figures, reviews_awaiting_approval, reviews_due, reviews_to_assess

SHOWN = 8  # lines of each kind; the lists behind them have the rest
DUE_WITHIN_DAYS = 14


@dataclass
class Day:
    adviser: bool = False
    counterpart: bool = False
    manager: bool = False
    to_assess: list = field(default_factory=list)
    threads_waiting: int = 0
    threads: list = field(default_factory=list)
    due: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    drafts: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    awaiting_approval: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    overdue: int = 0


def day_of(user) -> Day:
    day = Day(
        adviser=can_open_reviews(user),
        counterpart=user.member_state_id is not None,
        manager=holds_everywhere(user, Perm.APPROVE),
    )
    if day.adviser:
        day.to_assess = reviews_to_assess(user, SHOWN)
        day.threads_waiting, day.threads = threads_to_answer(user, SHOWN)
        name_the_items(day.threads)
    if day.adviser or day.manager:
        day.due = reviews_due(user, within_days=DUE_WITHIN_DAYS, limit=SHOWN)
    if day.counterpart:
        day.drafts = drafts_open_for_comment(user, SHOWN)
        day.answers = name_the_items(answers_to_my_threads(user, SHOWN))
    if day.manager:
        day.awaiting_approval = reviews_awaiting_approval(user, SHOWN)
        counts = portfolio_figures(user)
        day.overdue = counts.pop("overdue")
        day.figures = [(label, counts.get(value, 0)) for value, label in ReviewCycle.State.choices]
    day.reports = reports_ready_for(user, SHOWN)
    return day
