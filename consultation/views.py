"""Pages of the consultation: drafts, comments, invitations, comparison, validation."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from consultation import exports
from consultation import services as consultation
from consultation.diff import draft_changes
from consultation.models import MAX_COMMENT, MAX_QUOTE, Comment
from consultation.selectors import incomplete_items
from core.forms import add_service_errors, form_errors_text
from core.http import is_htmx, over_limit, require_GET_or_POST, too_many_message, url_prefix
from reviews.models import Rating, ReviewCycle
from reviews.permissions import Perm, Role, get_review_for, has_perm, members_of
from reviews.reading import report_context
from reviews.views import confirm_first, confirmed


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the counterpart"))
    focal_point = forms.BooleanField(
        label=gettext_lazy("Focal point: also reports the progress of the action plan"), required=False
    )


class AcceptForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=gettext_lazy("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), max_length=MAX_COMMENT)
    target_type = forms.ChoiceField(label=gettext_lazy("About"), choices=Comment.Target.choices, required=False)
    target_key = forms.CharField(label=gettext_lazy("Item"), max_length=60, required=False)
    quote = forms.CharField(label=gettext_lazy("Quoted passage"), max_length=MAX_QUOTE, required=False)
    parent = forms.IntegerField(label=gettext_lazy("Reply to"), min_value=1, required=False)


class ThreadAnswerForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Comment.Status.choices)
    answer = forms.CharField(label=gettext_lazy("Answer"), max_length=MAX_COMMENT, required=False)


class DeadlineForm(forms.Form):
    comments_due = forms.DateField(
        label=gettext_lazy("Comments due by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The counterparts see it on the draft and are reminded three days before."),
    )


class StateValidationForm(forms.Form):
    draft = forms.TypedChoiceField(label=gettext_lazy("Draft"), coerce=int)
    validated_by_name = forms.CharField(label=gettext_lazy("Validated for the state by"), max_length=200)
    validated_by_title = forms.CharField(label=gettext_lazy("Title or office"), max_length=200, required=False)
    validated_on = forms.DateField(
        label=gettext_lazy("Date of the validation"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=200, required=False)

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].choices = [(d.number, _("Draft %d") % d.number) for d in review.drafts.order_by("-number")]


def consultation_panel(request: HttpRequest, review: ReviewCycle) -> dict:
    """The review page's section of the consultation: the drafts and the state's validations."""
    return {
        "drafts": review.drafts.defer("snapshot").select_related("published_by", "approved_by").order_by("-number"),
        "state_validations": review.state_validations.select_related("draft", "recorded_by"),
    }


def _draft(review: ReviewCycle, number: int):
    return get_object_or_404(review.drafts.select_related("published_by"), number=number)


# An item of a draft shows this many of its threads; the others are one click away (loaded in place by htmx, a
# page of their own without JavaScript): a draft with hundreds of threads is still a page that opens.
THREADS_SHOWN = 3


def _threads(review: ReviewCycle, *, item: tuple[str, str] | None = None) -> dict:
    """Every thread of the review (or of one item, as item_key() gives it), by the item it is about, with its
    replies and its text made safe."""
    comments = Comment.objects.filter(draft__review=review)
    if item is not None:
        comments = comments.filter(target_type=item[0], target_key=item[1])
    comments = list(
        comments.select_related("author", "answered_by", "draft")
        .defer("draft__snapshot")  # else each comment decodes its draft's whole snapshot (144 kB at 500 threads)
        .order_by("created_at", "pk")
    )
    replies = defaultdict(list)
    for comment in comments:
        comment.html = comment.rendered()
        if comment.parent_id:
            replies[comment.parent_id].append(comment)
    by_item = defaultdict(list)
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = replies[comment.pk]
            by_item[consultation.item_key(comment.target_type, comment.target_key)].append(comment)
    return by_item


def _thread_context(request: HttpRequest, review: ReviewCycle, draft) -> dict:
    """What reviews/_threads.html needs besides the threads, worked out once for the page, not for each thread."""
    statuses = Comment.Status.choices
    refusal = consultation.comment_refusal(draft)
    return {
        "review_obj": review,
        "draft": draft,
        "token": get_token(request),
        "comment_url": reverse("reviews:comment_create", args=[review.pk, draft.number]),
        "answer_url": url_prefix("reviews:thread_answer", review.pk),
        "attachment_url": url_prefix("reviews:comment_attachment", review.pk),
        "status_options": {
            value: render_to_string("reviews/_status_options.html", {"statuses": statuses, "status": value})
            for value, _label in statuses
        },
        "labels": {
            "outdated": _("Outdated: the quoted words are no longer in this draft"),
            "reply": _("Reply"),
            "your_reply": _("Your reply"),
            "send_reply": _("Send the reply"),
            "answer_and_status": _("Answer and set the status"),
            "status": _("Status"),
            "answer": _("Answer"),
            "save_answer": _("Save the answer"),
            "document": _("Document"),
            "document_optional": _("A document (optional)"),
            "from_word": _("from the Word file"),
        },
        "can_comment": has_perm(request.user, review, Perm.COMMENT) and not refusal,
        "comment_refusal": refusal,
        "can_answer": has_perm(request.user, review, Perm.CHANGE),
    }


def _item_threads(threads: dict, items_url: str, target_type: str, target_key="") -> dict:
    """An item's threads as the draft page shows them: the first few, how many more, and where they all are."""
    found = threads.get(consultation.item_key(target_type, target_key), [])
    url = f"{items_url}?{urlencode({'type': target_type, 'key': target_key})}"
    return {"shown": found[:THREADS_SHOWN], "more": len(found) - THREADS_SHOWN, "url": url, "rest": f"{url}&skip=1"}


@login_required
@require_safe
def draft_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The reading layout of a published draft, by the six support areas, with the comment threads."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    draft = _draft(review, number)
    language = translation.get_language()[:2]
    context = report_context(
        draft.snapshot, language=language, edition="full", draft_number=draft.number, generated_at=draft.published_at
    )
    threads = _threads(review)
    items_url = reverse("reviews:draft_threads", args=[review.pk, draft.number])
    drafts = list(review.drafts.defer("snapshot").order_by("number"))
    for area in context["areas"]:
        area["threads"] = _item_threads(threads, items_url, Comment.Target.SECTION, area["code"])
        for finding in area["findings"]:
            finding["threads"] = _item_threads(threads, items_url, Comment.Target.FINDING, finding["criterion"])
        for rec in area["recommendations"]:
            rec["threads"] = _item_threads(threads, items_url, Comment.Target.RECOMMENDATION, rec["id"])
    return render(
        request,
        "reviews/draft_detail.html",
        {
            **context,
            **_thread_context(request, review, draft),
            "drafts": drafts,
            "draft_threads": _item_threads(threads, items_url, Comment.Target.DRAFT),
            "latest_draft": max(d.number for d in drafts),
            "deadline_passed": bool(draft.comments_due and draft.comments_due < timezone.localdate()),
            "deadline_form": DeadlineForm(initial={"comments_due": draft.comments_due}),
        },
    )


@login_required
@require_POST
def comments_due(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Move the deadline for comments on the draft open for them (the team)."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    draft = _draft(review, number)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            consultation.comments_due_change(draft=draft, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        messages.error(request, form_errors_text(form))
    else:
        messages.success(request, _("The deadline for comments is moved; the counterparts see it on the draft."))
    return redirect("reviews:draft", pk=review.pk, number=draft.number)


@login_required
@require_safe
def draft_threads(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Every thread on one item of a draft (`?type=finding&key=LP-01`): a page of its own, or, for htmx, those
    after the ones the draft page shows (`skip`)."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    draft = _draft(review, number)
    target_type, target_key = request.GET.get("type", ""), request.GET.get("key", "")
    if target_type not in Comment.Target.values:
        raise Http404
    item = consultation.item_key(target_type, target_key)
    found = _threads(review, item=item).get(item, [])  # this item's only, not the whole review's
    context = {**_thread_context(request, review, draft), "target_type": target_type, "target_key": target_key}
    if is_htmx(request) and request.GET.get("skip"):
        return render(request, "reviews/_threads.html", {**context, "item": {"shown": found[THREADS_SHOWN:]}})
    label = consultation.item_label(draft.snapshot, target_type, target_key, translation.get_language()[:2])
    if label is None:
        raise Http404
    return render(request, "reviews/draft_threads.html", {**context, "item": {"shown": found}, "label": label})


@login_required
@require_POST
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (what is still incomplete, and until when the government may comment), then publishes."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    deadline = DeadlineForm(request.POST if confirmed(request) else None)
    if deadline.is_valid():
        try:
            draft = consultation.draft_publish(review=review, by=request.user, **deadline.cleaned_data)
        except ValidationError as exc:
            if "comments_due" not in getattr(exc, "error_dict", {}):
                messages.error(request, " ".join(exc.messages))
                return redirect("reviews:detail", pk=review.pk)
            add_service_errors(deadline, exc)  # the page asks again, with the date given
        else:
            messages.success(request, _("Draft %d is published; the counterparts are told by e-mail.") % draft.number)
            return redirect("reviews:draft", pk=review.pk, number=draft.number)
    if not deadline.is_bound:
        deadline.initial = {"comments_due": consultation.default_comments_due()}
    number = (review.drafts.aggregate(last=Max("number"))["last"] or 0) + 1
    return confirm_first(
        request,
        review,
        title=_("Publish draft %d for consultation?") % number,
        consequence=_(
            "The current text becomes draft %d: the counterparts of the state read it and are told by e-mail. "
            "A published draft never changes."
        )
        % number,
        button=_("Publish draft %d") % number,
        cancel=reverse("reviews:detail", args=[review.pk]),
        incomplete=incomplete_items(review),
        form=deadline,
        status=400 if deadline.is_bound else 200,
    )


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.COMMENT)
    draft = _draft(review, number)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = get_object_or_404(Comment.objects.filter(draft__review=review), pk=data["parent"])
        comment = consultation.comment_create(
            draft=draft,
            by=request.user,
            body=data["body"],
            target_type=data["target_type"] or Comment.Target.DRAFT,
            target_key=data["target_key"],
            quote=data["quote"],
            parent=parent,
            attachment=request.FILES.get("attachment"),
        )
    except ValidationError as exc:
        # Nothing typed is lost: the page shows the error with the text, to send again.
        messages.error(
            request,
            _("The comment was not saved: %(error)s Your text: %(body)s")
            % {"error": " ".join(exc.messages), "body": request.POST.get("body", "")},
        )
        return redirect(reverse("reviews:draft", args=[review.pk, number]))
    messages.success(request, _("Your comment is saved."))
    return redirect(reverse("reviews:draft", args=[review.pk, number]) + f"#thread-{comment.parent_id or comment.pk}")


@login_required
@require_safe
def comment_attachment(request: HttpRequest, pk: int, comment_pk: int) -> FileResponse:
    """A comment's document, to those who may read the review's drafts (never a public media URL)."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    comment = get_object_or_404(Comment.objects.filter(draft__review=review).exclude(attachment=""), pk=comment_pk)
    return FileResponse(comment.attachment.open("rb"), as_attachment=True, filename=comment.attachment_name)


@login_required
@require_POST
def thread_answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    thread = get_object_or_404(Comment.objects.filter(draft__review=review, parent=None), pk=comment_pk)
    form = ThreadAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        consultation.thread_answer(thread=thread, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(
            request,
            _("The answer was not saved: %(error)s Your text: %(answer)s")
            % {"error": " ".join(exc.messages), "answer": request.POST.get("answer", "")},
        )
    else:
        messages.success(request, _("The answer is saved."))
    # Back to the draft the answer was given on (a later one shows the thread too), or else the thread's own.
    number = request.POST.get("draft", "")
    if not (number.isdecimal() and review.drafts.filter(number=int(number)).exists()):
        number = thread.draft.number
    return redirect(reverse("reviews:draft", args=[review.pk, number]) + f"#thread-{thread.pk}")


@login_required
@require_safe
def draft_compare(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    drafts = list(review.drafts.order_by("number"))
    if len(drafts) < 2:
        raise Http404
    numbers = [d.number for d in drafts]
    try:
        old_n = int(request.GET.get("from", numbers[-2]))
        new_n = int(request.GET.get("to", numbers[-1]))
    except ValueError:
        raise Http404 from None
    old, new = _draft(review, old_n), _draft(review, new_n)
    labels = dict(Rating.choices)

    def rating_label(rating, not_applicable):
        return _("Not applicable") if not_applicable else labels.get(rating, _("Not rated"))

    language = translation.get_language()[:2]
    areas = {a["code"]: a["name"].get(language) or a["name"]["en"] for a in new.snapshot["support_areas"]}
    return render(
        request,
        "reviews/draft_compare.html",
        {
            "review": review,
            "old": old,
            "new": new,
            "numbers": numbers,
            "changes": draft_changes(old.snapshot, new.snapshot, language=language, rating_label=rating_label),
            "areas": areas,
        },
    )


@login_required
@require_GET_or_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = consultation.counterpart_invite(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("An invitation is sent to %s.") % result.email)
            return redirect("reviews:invite", pk=review.pk)
    return render(
        request,
        "reviews/invite.html",
        {
            "review": review,
            "form": form,
            "counterparts": members_of(review, Role.COUNTERPART),
            "invitations": review.invitations.select_related("invited_by", "accepted_by"),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    user = next((u for u in members_of(review, Role.COUNTERPART) if u.pk == user_pk), None)
    if user is None:
        raise Http404
    if not confirmed(request):
        return confirm_first(
            request,
            review,
            title=_("Withdraw %s's access?") % user,
            consequence=_(
                "They will no longer read the drafts of this review nor comment on them. Their comments stay."
            ),
            button=_("Withdraw access"),
            cancel=reverse("reviews:invite", args=[review.pk]),
            danger=True,
        )
    try:
        consultation.access_withdraw(review=review, by=request.user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%s no longer has access to the review.") % user)
    return redirect("reviews:invite", pk=review.pk)


@require_GET_or_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link. A new counterpart sets a password; one with an account signs in, then accepts."""
    if over_limit(request, "invitation", limit=30, seconds=600):
        return render(request, "reviews/invitation_invalid.html", {"error": too_many_message()}, status=429)
    try:
        invitation = consultation.invitation_for(token)
    except ValidationError as exc:
        return render(request, "reviews/invitation_invalid.html", {"error": " ".join(exc.messages)}, status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                review = consultation.invitation_accept_signed_in(token=token, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("You now have access to the review “%s”.") % review.title)
                return redirect("reviews:detail", pk=review.pk)
        return render(request, "reviews/invitation_accept.html", {"invitation": invitation, "signed_in": True})
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        return render(request, "reviews/invitation_accept.html", {"invitation": invitation, "has_account": True})
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = consultation.invitation_accept(
                token=token,
                password=form.cleaned_data["password"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. Your user name is %s.") % user.username)
            return redirect("reviews:detail", pk=invitation.review_id)
    return render(request, "reviews/invitation_accept.html", {"invitation": invitation, "form": form})


@login_required
@require_safe
def comment_matrix(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The comment-response matrix of a consultation round: every thread of the draft, as a spreadsheet."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    draft = _draft(review, number)
    response = HttpResponse(
        exports.comment_matrix_xlsx(draft),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{review.member_state.code}-draft-{number}-comments.xlsx"'
    return response


@login_required
@require_POST
def validation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submit for validation (advisers); approve for release, send back, or reopen an approved review (managers)."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    actions = {
        "submit": lambda: consultation.submit_for_validation(review=review, by=request.user),
        "approve": lambda: consultation.draft_approve(
            review=review, by=request.user, note=request.POST.get("note", "")
        ),
        "send-back": lambda: consultation.send_back(review=review, by=request.user, note=request.POST.get("note", "")),
        "reopen": lambda: consultation.review_reopen(
            review=review, by=request.user, reason=request.POST.get("note", "")
        ),
    }
    if step not in actions:
        raise Http404
    questions = {
        "submit": (
            _("Submit the review for validation?"),
            _("A manager is asked to approve the latest draft for release, or to send it back."),
            _("Submit for validation"),
        ),
        "approve": (
            _("Approve the latest draft for release?"),
            _("The review becomes final: its text can no longer change, and the final report is made from it."),
            _("Approve for release"),
        ),
    }
    if step in questions and not confirmed(request):
        if not (has_perm(request.user, review, Perm.CHANGE) or has_perm(request.user, review, Perm.APPROVE)):
            raise Http404
        title, consequence, button = questions[step]
        return confirm_first(
            request,
            review,
            title=title,
            consequence=consequence,
            button=button,
            cancel=reverse("reviews:detail", args=[review.pk]),
            incomplete=incomplete_items(review),
        )
    try:
        actions[step]()
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        review.refresh_from_db()
        messages.success(request, _("The review is now in %(state)s.") % {"state": review.get_state_display()})
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_GET_or_POST
def state_validation(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW)
    if not (has_perm(request.user, review, Perm.CHANGE) or has_perm(request.user, review, Perm.APPROVE)):
        raise Http404
    form = StateValidationForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["draft"] = _draft(review, data["draft"])
        try:
            consultation.state_validation_record(review=review, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The validation by the state is recorded."))
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/state_validation.html", {"review": review, "form": form})
