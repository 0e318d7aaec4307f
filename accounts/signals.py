"""Tell people, in the page they land on, that they signed in or out."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from . import roles

User = get_user_model()


@receiver(user_logged_in)
def say_signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "_messages"):
        messages.success(request, f"Signed in as {user.get_username()}.")


@receiver(user_logged_out)
def say_signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "_messages"):
        messages.info(request, "Signed out.")


# Editors reach admin by being in the Editors group: "staff status" (is_staff, which admin
# checks) follows membership, whichever side the membership is changed from (a user's
# groups, a group's users, admin's forms, the shell). Leaving Editors takes it away again,
# except from superusers.
@receiver(m2m_changed, sender=User.groups.through)
def keep_staff_status_with_editors(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # remember who is about to leave the group
        instance._members_before_clear = list(instance.user_set.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set changed: `instance` is the group
        if instance.name != roles.EDITORS:
            return
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_members_before_clear", [])
        for user in User.objects.filter(pk__in=pk_set):
            sync_staff_status(user)
    else:
        sync_staff_status(instance)


def sync_staff_status(user):
    """is_staff = in Editors (superusers keep it). Saves only if it changes."""
    editor = user.groups.filter(name=roles.EDITORS).exists()
    wanted = editor or user.is_superuser
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])
