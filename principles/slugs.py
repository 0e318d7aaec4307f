"""Slugs that are free: the one loop every service that names a new row uses."""

from itertools import count


def unique_slug(queryset, base, *, suffix="-{}", bare=True):
    """The first of `base`, `base-2`, `base-3`... that no row of `queryset` has as its slug
    (one query). `suffix` shapes the number; with bare=False a number is always added."""
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = (base + suffix.format(number) for number in count(2))
    if bare and base not in taken:
        return base
    return next(slug for slug in candidates if slug not in taken)
