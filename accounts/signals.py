"""Tell people, in the page they land on, that they signed in or out."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver


@receiver(user_logged_in)
def say_signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "_messages"):
        messages.success(request, f"Signed in as {user.get_username()}.")


@receiver(user_logged_out)
def say_signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "_messages"):
        messages.info(request, "Signed out.")
