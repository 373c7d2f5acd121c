"""Password sign-in, and Django's model permissions read in one statement."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackendInOneQuery(ModelBackend):
    """Django's ModelBackend, except that a person's permissions (their own and their groups') are read in one
    statement, not two: every page asks for them (the header's Portfolio link), so each page saves a round trip
    to the database. Authentication and the rules are ModelBackend's, except that with STAFF_PASSWORD_SIGNIN off
    IOM staff sign in only through the provider (iomborder.oidc): the password is then for government
    counterparts, and for superusers (the way in when the provider is down)."""

    def user_can_authenticate(self, user):
        if not settings.STAFF_PASSWORD_SIGNIN and user.member_state_id is None and not user.is_superuser:
            return False
        return super().user_can_authenticate(user)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                mine = Permission.objects.filter(user=user_obj).values("pk")
                of_my_groups = Permission.objects.filter(group__user=user_obj).values("pk")
                permissions = permissions.filter(Q(pk__in=mine) | Q(pk__in=of_my_groups))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache
