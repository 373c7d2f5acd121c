"""What happens around signing in and out, and to an account an administrator changes: each sign-in, failed or
not, is in the action log with its method; a session is recorded for its owner's list; a person deactivated,
or taken out of a group, has every session and API token ended at once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from iomborder import accounts, two_factor

User = get_user_model()
OIDC_BACKEND = "iomborder.oidc.Backend"


@receiver(user_logged_in, dispatch_uid="iomborder.signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        method = "oidc" if getattr(user, "backend", "") == OIDC_BACKEND else "password"
        by_provider = getattr(request, "oidc_second_factor", "") if method == "oidc" else ""
        accounts.session_started(request=request, user=user, method=method, second_factor=by_provider)
        owed = "" if by_provider else two_factor.owed_at_sign_in(user)
        if owed and getattr(user, "otp_device", None) is None:
            request.session[two_factor.SESSION_KEY] = owed


@receiver(user_login_failed, dispatch_uid="iomborder.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if credentials.get("second_factor"):
        return  # a wrong second factor is logged as such (iomborder.two_factor)
    if "nonce" in credentials:  # the callback of a sign-in through the provider (iomborder.oidc)
        reason = getattr(request, "oidc_detail", "") or getattr(request, "oidc_refusal", "")
        username = getattr(request, "oidc_email", "")
        accounts.sign_in_failed(request=request, username=username, method="oidc", reason=str(reason))
    else:
        accounts.sign_in_failed(request=request, username=credentials.get("username", ""))


@receiver(user_logged_out, dispatch_uid="iomborder.signed_out")
def signed_out(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        user.signed_in_sessions.filter(session_key=key).delete()


@receiver(pre_save, sender=User, dispatch_uid="iomborder.deactivation_seen")
def note_deactivation(sender, instance, update_fields=None, **kwargs) -> None:
    # Only a save that may change `is_active` looks (not the last_login written at every sign-in).
    may_change = update_fields is None or "is_active" in update_fields
    instance._deactivated = bool(
        may_change
        and instance.pk
        and not instance.is_active
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=User, dispatch_uid="iomborder.deactivated")
def deactivated(sender, instance, created, **kwargs) -> None:
    if getattr(instance, "_deactivated", False):
        accounts.sessions_end_all(user=instance, reason="deactivated")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="iomborder.group_lost")
def group_lost(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if reverse and action == "pre_clear":  # a group emptied: Django names nobody after, so who is noted before
        instance._members_before_clear = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_remove", "post_clear"):
        return
    if not reverse:
        users = [instance]
    else:
        lost = pk_set if action == "post_remove" else getattr(instance, "_members_before_clear", [])
        users = list(User.objects.filter(pk__in=lost))
    for user in users:
        if isinstance(user, User) and user.pk:
            accounts.sessions_end_all(user=user, reason="group removed")
