"""E-mails to the people of a review, each in the reader's language (their preference, else the review's report
language), and the same events in their inboxes. Called by Celery tasks only."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultation.models import Comment, DraftVersion, Invitation
from consultation.selectors import name_the_items
from consultation.services import deadline_reminded, drafts_to_remind
from core.inbox import notify
from core.mailing import send_in_their_languages, site_link
from reviews.models import ReviewCycle
from reviews.permissions import Perm, Role, has_perm, members_of, reviews_for


def _send(review: ReviewCycle, users, compose, *, digest_aware: bool = True) -> int:
    """Each reader in their language, else the review's report language."""
    return send_in_their_languages(users, compose, language=review.report_language, digest_aware=digest_aware)


def draft_published(draft_id: int) -> int:
    draft = DraftVersion.objects.select_related("review").get(pk=draft_id)
    review = draft.review
    readers = members_of(review, Role.COUNTERPART)
    url = reverse("reviews:draft", args=[review.pk, draft.number])
    notify(readers, kind="draft_published", url=url, review_id=review.pk, number=draft.number, title=review.title)

    def compose():
        subject = _("Draft %(number)s of “%(title)s” is open for your comments") % {
            "number": draft.number,
            "title": review.title,
        }
        body = _(
            "Draft %(number)s of the review “%(title)s” has been published for consultation.\n\n"
            "Read it and comment on it here:\n%(link)s\n"
        ) % {"number": draft.number, "title": review.title, "link": site_link(url)}
        return subject, body

    return _send(review, readers, compose)


def comment_deadlines(today: datetime.date | None = None) -> int:
    """Remind the counterparts of each draft whose deadline for comments is near (once per deadline): by e-mail,
    digest or not (a deadline does not wait for tomorrow's digest), and in their inboxes."""
    sent = 0
    for draft in drafts_to_remind(today):
        if not deadline_reminded(draft):
            continue
        review = draft.review
        readers = members_of(review, Role.COUNTERPART)
        url = reverse("reviews:draft", args=[review.pk, draft.number])
        due = draft.comments_due
        notify(
            readers,
            kind="comments_due",
            url=url,
            review_id=review.pk,
            number=draft.number,
            title=review.title,
            date=due.isoformat(),
        )

        def compose(draft=draft, review=review, url=url, due=due):
            subject = _("Comments on draft %(number)s of “%(title)s” are due on %(date)s") % {
                "number": draft.number,
                "title": review.title,
                "date": date_format(due, "DATE_FORMAT"),
            }
            body = _(
                "The government's comments on draft %(number)s of the review “%(title)s” are due on %(date)s.\n\n"
                "Read the draft and comment on it here:\n%(link)s\n"
            ) % {
                "number": draft.number,
                "title": review.title,
                "date": date_format(due, "DATE_FORMAT"),
                "link": site_link(url),
            }
            return subject, body

        sent += _send(review, readers, compose, digest_aware=False)
    return sent


def comment_posted(comment_id: int) -> int:
    comment = Comment.objects.select_related("draft__review", "author", "parent__author").get(pk=comment_id)
    review = comment.draft.review
    readers = [u for u in members_of(review, Role.ADVISER) if u != comment.author]
    if comment.parent and comment.parent.author != comment.author and comment.parent.author not in readers:
        readers.append(comment.parent.author)
    url = (
        reverse("reviews:draft", args=[review.pk, comment.draft.number]) + f"#thread-{comment.parent_id or comment.pk}"
    )
    notify(
        readers,
        kind="comment_posted",
        url=url,
        review_id=review.pk,
        author=str(comment.author),
        number=comment.draft.number,
        title=review.title,
    )

    def compose():
        subject = _("New comment on “%(title)s”") % {"title": review.title}
        name_the_items([comment])  # named as every page names it: LP-01, R7, a support area, the whole draft
        body = _(
            "%(author)s wrote on %(item)s, draft %(number)s:\n\n%(body)s\n\nRead the thread and answer:\n%(link)s\n"
        ) % {
            "author": comment.author,
            "item": comment.item,
            "number": comment.draft.number,
            "body": comment.body,
            "link": site_link(url),
        }
        return subject, body

    return _send(review, readers, compose)


def thread_answered(comment_id: int) -> int:
    thread = Comment.objects.select_related("draft__review", "author", "answered_by").get(pk=comment_id)
    review = thread.draft.review
    url = reverse("reviews:draft", args=[review.pk, thread.draft.number]) + f"#thread-{thread.pk}"
    notify([thread.author], kind="thread_answered", url=url, review_id=review.pk, title=review.title)

    def compose():
        subject = _("Your comment on “%(title)s” was answered") % {"title": review.title}
        body = _("Your comment: %(body)s\n\nStatus: %(status)s\nAnswer of %(who)s: %(answer)s\n\n%(link)s\n") % {
            "body": thread.body,
            "status": thread.get_status_display(),
            "who": thread.answered_by,
            "answer": thread.answer,
            "link": site_link(url),
        }
        return subject, body

    return _send(review, [thread.author], compose)


def invitation(invitation_id: int, token: str) -> int:
    invite = Invitation.objects.select_related("review", "invited_by").get(pk=invitation_id)
    review = invite.review
    with translation.override(review.report_language):
        subject = _("Invitation to comment on the review “%(title)s”") % {"title": review.title}
        body = _(
            "%(who)s of IOM invites you to read and comment on the drafts of the review “%(title)s”.\n\n"
            "Follow this link, which works once and until %(expires)s, to set your password or, if you have an "
            "account already, to sign in and accept:\n%(link)s\n"
        ) % {
            "who": invite.invited_by,
            "title": review.title,
            "expires": invite.expires_at.date().isoformat(),
            "link": site_link(reverse("invitation", args=[token])),
        }
        return send_mail(f"[iomborder] {subject}", body, settings.DEFAULT_FROM_EMAIL, [invite.email])


def daily_digests(now: datetime.datetime | None = None) -> int:
    """One e-mail per person on the daily digest, in their language: the drafts published, comments posted and
    threads answered in the last day, on the reviews they are on."""
    since = (now or timezone.now()) - datetime.timedelta(days=1)
    sent = 0
    for user in get_user_model().objects.filter(daily_digest=True, is_active=True).exclude(email=""):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            sent += _digest(user, since)
    return sent


def _digest(user, since) -> int:
    """One person's digest, in the language active; 0 when nothing happened."""
    lines = []
    for review in reviews_for(user, Perm.VIEW_DRAFTS):
        for draft in review.drafts.filter(published_at__gte=since):
            lines.append(_("%(title)s: draft %(number)s published") % {"title": review.title, "number": draft.number})
        if has_perm(user, review, Perm.CHANGE):
            count = Comment.objects.filter(draft__review=review, created_at__gte=since).exclude(author=user).count()
            if count:
                lines.append(_("%(title)s: %(count)s new comments") % {"title": review.title, "count": count})
        answered = Comment.objects.filter(draft__review=review, author=user, answered_at__gte=since).count()
        if answered:
            lines.append(
                _("%(title)s: %(count)s of your comments answered") % {"title": review.title, "count": answered}
            )
    if not lines:
        return 0
    return send_mail(
        "[iomborder] " + _("Your daily digest"),
        "\n".join(lines) + "\n\n" + settings.SITE_URL + "/",
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
