from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from iomborder.models import User

# What only a superuser sees or changes: the fields that give rights.
RIGHTS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts. Administrators (staff, not superusers) manage people's names, e-mail and activity through forms
    without the fields that give rights, and cannot change the accounts of staff or superusers. A counterpart's
    member state is shown, never changed: it comes from their invitation."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Member state"), {"fields": ("member_state", "organisation")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "member_state", "is_staff")
    list_filter = (*BaseUserAdmin.list_filter, "member_state")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in RIGHTS]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # A counterpart's account comes only from an invitation to a review of their state (consultation's
        # invitations): nobody turns an account into a government's, or moves it to another state, here.
        return (*super().get_readonly_fields(request, obj), "member_state")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not request.user.is_superuser:
            kwargs["exclude"] = [*(kwargs.get("exclude") or ()), *RIGHTS]
        return super().get_form(request, obj, change=change, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and (obj.is_staff or obj.is_superuser):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # People are deactivated, never deleted: their comments, edits and approvals name them.
        return False

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else [f for f in filters if f not in RIGHTS]
