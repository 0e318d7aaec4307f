"""The site's own 400, 403, 404 and 500 pages: styled, with a way back."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults


@pytest.mark.parametrize(
    ("view", "args", "status", "title"),
    [
        (defaults.bad_request, (SuspiciousOperation(),), 400, "Bad request"),
        (defaults.permission_denied, (PermissionDenied(),), 403, "Not allowed"),
        (defaults.server_error, (), 500, "Something went wrong"),
    ],
)
def test_error_pages_use_the_site_layout(view, args, status, title):
    response = view(RequestFactory().get("/somewhere/"), *args)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert 'class="skip-link"' in html and f'href="{reverse("home")}"' in html
