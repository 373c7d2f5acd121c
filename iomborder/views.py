from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iomborder.http import require_GET_or_POST
from iomborder.models import User


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return redirect("reviews:list")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "daily_digest"]


@login_required
@require_GET_or_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's name, e-mail address and how they want to hear of the reviews' news."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return render(request, "preferences.html", {"form": form})
