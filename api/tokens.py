"""The account page where each person makes and revokes their own API tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from .models import ApiToken

MAX_ACTIVE = 10


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=80,
        help_text="For example “training records sync”. Only you see it.",
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Name the token, so you know what it is for.")
        return name


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        active = ApiToken.objects.of(request.user).active().count()
        if active >= MAX_ACTIVE:
            form.add_error(None, f"You have {MAX_ACTIVE} tokens; revoke one you no longer use.")
        if form.is_valid():
            row, token = ApiToken.issue(request.user, form.cleaned_data["name"])
            created = {"row": row, "token": token}
            form = TokenForm()
        else:
            status = 400
    tokens = ApiToken.objects.of(request.user)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "created": created},
        status=status,
    )
    # the new token is in this page only: no cache, no back-button copy may keep it
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@login_required
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, f"Revoked “{token.name}”. Scripts using it are refused now.")
    else:
        messages.info(request, f"“{token.name}” was already revoked.")
    return redirect("api:tokens")
