from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from iomborder.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Member state"), {"fields": ("member_state", "organisation")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "member_state", "is_staff")
    list_filter = (*BaseUserAdmin.list_filter, "member_state")
    autocomplete_fields = ("member_state",)
