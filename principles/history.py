"""Who changed content, and why: the one helper every service uses before a save or delete,
so that django-simple-history's row names the person and the reason."""

from django.utils.text import Truncator

# history_change_reason holds 100 characters; a reason naming two long titles would not fit
CHANGE_REASON_MAX = 100


def audited(obj, user, reason=None):
    """`obj`, with who (a signed-in user) and why attached to the history row that its next
    save or delete writes."""
    if user is not None and user.is_authenticated:
        obj._history_user = user
    if reason:
        obj._change_reason = Truncator(reason).chars(CHANGE_REASON_MAX)
    return obj
