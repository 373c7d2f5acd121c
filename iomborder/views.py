import json
from urllib.parse import urlencode
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST, require_safe
from django_otp import user_has_device

from core.forms import add_service_errors
from core.http import over_limit, require_GET_or_POST, too_many_message
from core.inbox import inbox_of, mark_read, text_of
from core.queue import queue
from iomborder import accounts, oidc, two_factor
from iomborder.home import day_of
from iomborder.models import SecurityKey, User
from iomborder.signin import locked_out
from iomborder.tokens import token_create, token_revoke


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What waits for the person today, by what they do on the reviews (iomborder/home.py)."""
    return render(request, "home.html", {"day": day_of(request.user)})


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, 30 to a page, the unread ones marked."""
    page = Paginator(inbox_of(request.user), 30).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.text = text_of(notification)
    return render(request, "inbox.html", {"page": page})


@login_required
@require_safe
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read. Another person's is not found."""
    notification = get_object_or_404(inbox_of(request.user), pk=pk)
    mark_read(request.user, notification.pk)
    return redirect((url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) and notification.url) or "/")


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`notification`) or all of them read."""
    chosen = request.POST.get("notification", "")
    count = mark_read(request.user, int(chosen) if chosen.isdigit() else None)
    if not chosen:
        messages.success(
            request, ngettext("%d notification marked read.", "%d notifications marked read.", count) % count
        )
    return redirect("inbox")


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("time zone"),
        required=False,
        help_text=gettext_lazy("Dates and times are shown in it; empty: the site's (UTC)."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "daily_digest", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [
            ("", _("The site's (UTC)")),
            *((z, z) for z in sorted(available_timezones())),
        ]
        # Shown with every comment and edit, instead of the user name (an invited account's is its address).
        self.fields["first_name"].required = self.fields["last_name"].required = True


@login_required
@require_GET_or_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's name, e-mail address, how they want to hear of the reviews' news, and their sessions."""
    form = PreferencesForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            sent = accounts.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your preferences are saved."))
            if sent:
                messages.info(
                    request, _("A link to confirm your new address was sent to it: the address counts once followed.")
                )
            return redirect("preferences")
    sessions = list(accounts.sessions_of(request.user))
    for session in sessions:
        session.device = accounts.device_label(session.user_agent)
        session.is_this_one = session.session_key == request.session.session_key
    return render(
        request,
        "preferences.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.order_by("-created_at"),
            "sessions": sessions,
            "two_factor_on": user_has_device(request.user),
            "security_keys": SecurityKey.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of one's own sessions (another's answers 404)."""
    session = get_object_or_404(request.user.signed_in_sessions, pk=pk)
    this_one = session.session_key == request.session.session_key
    accounts.session_end(by=request.user, session=session)
    if this_one:
        logout(request)
        return redirect("login")
    messages.success(request, _("That session is ended: it is signed out."))
    return redirect("preferences")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's choice of language: Django's, and kept in a signed-in person's preferences (so that the
    pages and the e-mails follow it from any device)."""
    response = i18n_views.set_language(request)
    if request.user.is_authenticated:
        accounts.language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@require_safe
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        accounts.email_verify(token=token)
    except ValidationError as exc:
        return render(request, "registration/verify_email.html", {"error": " ".join(exc.messages)}, status=400)
    return render(request, "registration/verify_email.html", {"verified": True})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    accounts.sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere, and your API tokens are revoked."))
    return redirect("login")


class SignInView(auth_views.LoginView):
    """The password form, and the button of single sign-on for IOM staff when it is configured."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, sso=oidc.configured(), staff_password=settings.STAFF_PASSWORD_SIGNIN or not oidc.configured()
        )


class RevokesTokens:
    """A new password ends the other sessions (the session hash changes) and revokes the API tokens."""

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.password_changed(user=form.user)
        return response


class PasswordChangeView(RevokesTokens, auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, for verified addresses only, with the e-mail sent by a Celery worker."""

    def get_users(self, email):
        return (u for u in super().get_users(email) if u.email_verified)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue("iomborder.send_mail", subject, body, [to_email])


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = None

    def post(self, request, *args, **kwargs):
        address = request.POST.get("email", "")[:254].lower()
        if over_limit(request, "password-reset", limit=5, seconds=3600) or over_limit(
            request, "password-reset-address", limit=3, seconds=3600, key=address
        ):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, too_many_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(RevokesTokens, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=gettext_lazy("The six digits your authenticator app shows, or one of your recovery codes."),
    )


def _next_page(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


@login_required
@require_GET_or_POST
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password, the code of the person's authenticator (or a recovery code)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.verify(request, request.user, form.cleaned_data["code"])
        if result == "locked":
            return locked_out(request)
        if result:
            if result == "recovery code":
                messages.warning(request, _("You used a recovery code: it cannot be used again."))
            return redirect(_next_page(request))
        form.add_error("code", _("This code is wrong or has expired."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {
            "form": form,
            "next": _next_page(request),
            "has_keys": SecurityKey.objects.filter(user=request.user).exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET_or_POST
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the secret), prove it with a first code; the recovery
    codes are shown once. Or add a security key (the page's other button: the views below)."""
    if not two_factor.may_set_up(request):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_page(request)})}")
    device = two_factor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.locked(request, request.user):
            return locked_out(request)
        codes = two_factor.enrol_confirm(request, request.user, device, form.cleaned_data["code"])
        if codes:
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_page(request)})
        form.add_error("code", _("This code is wrong or has expired."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(two_factor.qr_svg(device)),  # noqa: S308 - segno's SVG, made from our own data
            "secret": two_factor.secret_text(device),
            "required": two_factor.required_for(request.user),
            "next": _next_page(request),
        },
        status=400 if form.errors else 200,
    )


# Security keys and passkeys (WebAuthn): JSON for static/js/security-keys.js ------------------------------------

KEY_UNREADABLE = gettext_lazy("The browser's answer could not be read. Try again.")


class NameForm(forms.Form):
    """The name a person gives a key or a token: refused, not cut, when too long (or holding a NUL)."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.CharField(required=False, max_length=max_length)


def _browser_answer(request) -> tuple[dict, str] | str:
    """The credential and the key's name the script sent, or what is wrong with them."""
    try:
        body = json.loads(request.body)
        credential, form = dict(body["credential"]), NameForm({"name": body.get("name", "")}, max_length=64)
    except (ValueError, KeyError, TypeError):
        return str(KEY_UNREADABLE)
    if not form.is_valid():
        return " ".join(form.errors["name"])
    return credential, form.cleaned_data["name"]


@login_required
@require_POST
def security_key_register_begin(request: HttpRequest) -> HttpResponse:
    if not two_factor.may_set_up(request):
        return JsonResponse({"error": _("Sign in with your second factor first.")}, status=403)
    return JsonResponse(two_factor.key_registration_begin(request, request.user))


@login_required
@require_POST
def security_key_register(request: HttpRequest) -> HttpResponse:
    """The new key's answer: kept, and the session verified by it; the recovery codes shown if they are new."""
    if not two_factor.may_set_up(request):
        return JsonResponse({"error": _("Sign in with your second factor first.")}, status=403)
    answer = _browser_answer(request)
    if isinstance(answer, str):
        return JsonResponse({"error": answer}, status=400)
    try:
        codes = two_factor.key_register(request, request.user, *answer)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("The key's answer could not be verified: it was not added.")}, status=400)
    if codes:
        request.session["recovery_codes"] = codes
        return JsonResponse({"next": f"{reverse('two_factor_codes')}?{urlencode({'next': _next_page(request)})}"})
    return JsonResponse({"next": _next_page(request)})


@login_required
@require_POST
def security_key_sign_in_begin(request: HttpRequest) -> HttpResponse:
    if not SecurityKey.objects.filter(user=request.user).exists():
        return JsonResponse({"error": _("You have no security key: use your app or a recovery code.")}, status=400)
    return JsonResponse(two_factor.key_sign_in_begin(request, request.user))


@login_required
@require_POST
def security_key_sign_in(request: HttpRequest) -> HttpResponse:
    """After the password, one of the person's keys; a wrong answer counts towards the lockout."""
    answer = _browser_answer(request)
    if isinstance(answer, str):
        return JsonResponse({"error": answer}, status=400)
    result = two_factor.key_verify(request, request.user, answer[0])
    if result == "locked":
        return locked_out(request, as_json=True)
    if result is None:
        return JsonResponse(
            {"error": _("This key is not one of yours, or its answer could not be verified.")}, status=400
        )
    return JsonResponse({"next": _next_page(request)})


@login_required
@require_safe
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes made with a first security key, shown once."""
    codes = request.session.pop("recovery_codes", None)
    if not codes:
        return redirect(_next_page(request))
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_page(request)})


@login_required
@require_POST
def security_key_remove(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(SecurityKey, pk=pk, user=request.user)
    two_factor.key_remove(user=request.user, key=key)
    messages.success(request, _("The security key %(name)s was removed.") % {"name": key.name})
    return redirect("preferences")


# API tokens from the site: for those who sign in through the provider or with a key (no password or code to give
# the token endpoint). The session has given its second factor (the middleware lets no other here).


@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST, max_length=100)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect("preferences")
    token, key = token_create(user=request.user, name=form.cleaned_data["name"])
    return render(request, "api_token_new.html", {"token": token, "key": key})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    token_revoke(token=token, by=request.user)
    messages.success(request, _("The API token was revoked."))
    return redirect("preferences")
