from django import template

register = template.Library()


@register.filter
def display_name(user, fallback="a practicekb member"):
    """What readers see of a person: their name, never their username (half a sign-in)."""
    return (user.get_full_name() or user.first_name or "").strip() or fallback
