"""The public URL contract: every address shape people bookmark, cite, link to or script.

This is the one place in the suite that writes addresses out: every other test asks
reverse() for them, so a route can move only by changing this list on purpose (and keeping
the old address working, as /tags/ and ?tag= do for themes: tests/foundation/test_addresses.py).
"""

import uuid

import pytest
from django.urls import resolve, reverse

from principles.models import Statement

SHEET = uuid.UUID("12345678-1234-5678-1234-567812345678")

# (URL name, kwargs, the address as published)
CONTRACT = [
    ("home", {}, "/"),
    ("about", {}, "/about/"),
    ("accessibility", {}, "/accessibility/"),
    ("sources", {}, "/sources/"),
    ("healthz", {}, "/healthz"),
    ("readyz", {}, "/readyz"),
    ("favicon", {}, "/favicon.ico"),
    ("organizations:list", {}, "/organizations/"),
    ("organizations:detail", {"slug": "virginia"}, "/organizations/virginia/"),
    (
        "organizations:document",
        {"slug": "virginia", "document_slug": "practice-model"},
        "/organizations/virginia/documents/practice-model/",
    ),
    ("principles:statement", {"pk": 7}, "/statements/7/"),
    ("principles:statement-cite-ris", {"pk": 7}, "/statements/7/cite.ris"),
    ("principles:statement-cite-csl", {"pk": 7}, "/statements/7/cite.json"),
    ("principles:statement-theme-add", {"pk": 7}, "/statements/7/themes/"),
    ("principles:statement-themes", {"pk": 7}, "/statements/7/themes/edit/"),
    (
        "principles:statement-theme-remove",
        {"pk": 7, "slug": "kinship"},
        "/statements/7/themes/kinship/remove/",
    ),
    (
        "principles:changes",
        {"slug": "virginia", "document_slug": "practice-model"},
        "/organizations/virginia/documents/practice-model/changes/",
    ),
    ("principles:revisions", {}, "/revisions/"),
    ("principles:themes", {}, "/themes/"),
    ("principles:theme", {"slug": "kinship"}, "/themes/kinship/"),
    ("search:search", {}, "/search/"),
    ("compare:compare", {}, "/compare/"),
    ("compare:collection", {}, "/compare/crosswalk/"),
    ("compare:crosswalk-csv", {}, "/compare/crosswalk.csv"),
    ("sheets:organization", {"slug": "virginia"}, "/organizations/virginia/sheet/"),
    ("sheets:organization-pdf", {"slug": "virginia"}, "/organizations/virginia/sheet.pdf"),
    ("sheets:organization-docx", {"slug": "virginia"}, "/organizations/virginia/sheet.docx"),
    (
        "sheets:document",
        {"slug": "virginia", "document_slug": "practice-model"},
        "/organizations/virginia/documents/practice-model/sheet/",
    ),
    (
        "sheets:document-pdf",
        {"slug": "virginia", "document_slug": "practice-model"},
        "/organizations/virginia/documents/practice-model/sheet.pdf",
    ),
    ("sheets:theme", {"slug": "kinship"}, "/themes/kinship/sheet/"),
    ("sheets:theme-pdf", {"slug": "kinship"}, "/themes/kinship/sheet.pdf"),
    ("sheets:theme-docx", {"slug": "kinship"}, "/themes/kinship/sheet.docx"),
    ("sheets:comparison", {}, "/compare/sheet/"),
    ("sheets:comparison-pdf", {}, "/compare/sheet.pdf"),
    ("sheets:comparison-docx", {}, "/compare/sheet.docx"),
    ("sheets:list", {}, "/sheets/"),
    ("sheets:add", {}, "/sheets/add/"),
    ("sheets:detail", {"public_id": SHEET}, f"/sheets/{SHEET}/"),
    ("sheets:selection", {"public_id": SHEET}, f"/sheets/{SHEET}/sheet/"),
    ("sheets:selection-pdf", {"public_id": SHEET}, f"/sheets/{SHEET}/sheet.pdf"),
    ("sheets:selection-docx", {"public_id": SHEET}, f"/sheets/{SHEET}/sheet.docx"),
    ("sheets:delete", {"public_id": SHEET}, f"/sheets/{SHEET}/delete/"),
    ("accounts:login", {}, "/accounts/login/"),
    ("accounts:logout", {}, "/accounts/logout/"),
    ("api:tokens", {}, "/api/tokens/"),
    ("api:root", {}, "/api/v1/"),
    ("api:organizations", {}, "/api/v1/organizations/"),
    ("api:organization", {"slug": "virginia"}, "/api/v1/organizations/virginia/"),
    ("api:documents", {}, "/api/v1/documents/"),
    ("api:sections", {}, "/api/v1/sections/"),
    ("api:statements", {}, "/api/v1/statements/"),
    ("api:statement", {"pk": 7}, "/api/v1/statements/7/"),
    ("api:statement-similar", {"pk": 7}, "/api/v1/statements/7/similar/"),
    ("api:statement-themes", {"pk": 7}, "/api/v1/statements/7/themes/"),
    ("api:themes", {}, "/api/v1/themes/"),
    ("api:theme", {"slug": "kinship"}, "/api/v1/themes/kinship/"),
    ("api:search", {}, "/api/v1/search/"),
    ("api:crosswalk", {}, "/api/v1/crosswalk/"),
    ("api:sheets", {}, "/api/v1/sheets/"),
    ("api:sheet", {"public_id": SHEET}, f"/api/v1/sheets/{SHEET}/"),
    ("api:open-data", {}, "/api/v1/open-data/"),
    ("api:data-dictionary", {}, "/api/v1/open-data/dictionary/"),
    ("api:release-json", {"number": 3}, "/api/v1/open-data/3.json"),
    ("api:release-csv", {"number": 3}, "/api/v1/open-data/3.csv"),
    ("api:schema", {}, "/api/v1/schema/"),
    ("api:docs", {}, "/api/v1/docs/"),
    ("admin:index", {}, "/admin/"),
    ("transfer:import", {}, "/admin/transfer/import/"),
]


@pytest.mark.django_db
def test_public_url_contract(client):
    """Each name gives its published address, and each published address reaches that name."""
    for name, kwargs, address in CONTRACT:
        assert reverse(name, kwargs=kwargs) == address, name
        assert resolve(address).view_name == name, address
    # the API's root names its collections by their published addresses too
    listing = client.get("/api/v1/").json()
    assert listing["statements"].endswith("/api/v1/statements/")
    # addresses printed on paper and in citations: a statement's permalink
    statement = Statement.objects.first()
    assert statement.get_absolute_url() == f"/statements/{statement.pk}/"
