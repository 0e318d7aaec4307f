"""Small helpers shared by the tagging tests."""

from django.urls import reverse


def signed_in(client, user):
    client.force_login(user)
    return client


def add_url(statement):
    return reverse("principles:statement-theme-add", kwargs={"pk": statement.pk})


def remove_url(statement, theme):
    return reverse(
        "principles:statement-theme-remove", kwargs={"pk": statement.pk, "slug": theme.slug}
    )
