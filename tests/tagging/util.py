"""Small helpers shared by the tagging tests."""


def signed_in(client, user):
    client.force_login(user)
    return client


def add_url(statement):
    return f"/statements/{statement.pk}/themes/"


def remove_url(statement, theme):
    return f"/statements/{statement.pk}/themes/{theme.slug}/remove/"
