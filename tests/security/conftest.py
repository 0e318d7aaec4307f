"""Users and addresses for the security tests."""

from django.urls import reverse


def public_paths(statement):
    """The main pages anyone can open."""
    return [
        "/",
        reverse("organizations:list"),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse(
            "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
        ),
        reverse("principles:statement", kwargs={"pk": statement.pk}),
        reverse("principles:themes"),
        reverse("principles:theme", kwargs={"slug": "kinship"}),
        reverse("search:search") + "?q=kinship",
        reverse("compare:compare"),
        reverse("compare:compare") + "?org=virginia&org=maine-cfs",
        reverse("sheets:organization", kwargs={"slug": "virginia"}),
        reverse("sheets:theme", kwargs={"slug": "kinship"}),
        reverse("sheets:comparison") + "?org=virginia&org=maine-cfs",
        reverse("accounts:login"),
        "/no-such-page/",
    ]
