from django.http import Http404
from django.shortcuts import render

from principles import selectors

from .forms import OrganizationFilterForm, jurisdictions
from .models import Organization

# Home shows this many organizations with their missions, then links to the full list: at
# 500 organizations the page would otherwise carry every mission (about 250 KB).
HOME_ORGANIZATIONS = 24


def home(request):
    first = list(Organization.objects.all()[: HOME_ORGANIZATIONS + 1])
    organizations = selectors.organizations_with_missions(first[:HOME_ORGANIZATIONS], request.user)
    return render(
        request,
        "organizations/home.html",
        {
            "organizations": organizations,
            "more_organizations": len(first) > HOME_ORGANIZATIONS,
            "themes": selectors.popular_themes(),
        },
    )


def organization_list(request):
    form = OrganizationFilterForm(request.GET or None, jurisdictions=jurisdictions())
    organizations = Organization.objects.all()
    status = 200
    if form.is_bound:
        if form.is_valid():
            organizations = form.filter(organizations)
        else:
            organizations, status = Organization.objects.none(), 400
    organizations = selectors.organizations_with_missions(organizations, request.user)
    return render(
        request,
        "organizations/organization_list.html",
        {"form": form, "organizations": organizations},
        status=status,
    )


def organization_detail(request, slug):
    page = selectors.organization_page(slug, request.user)
    return render(request, "organizations/organization_detail.html", {"page": page})


def document_detail(request, slug, document_slug):
    try:
        organization, document = selectors.document_page(slug, document_slug, request.user)
    except Http404:
        # a retired document's address answers 410 Gone, naming what it was: citations of it
        # keep explaining themselves
        retired = selectors.retired_document(slug, document_slug)
        if retired is None:
            raise
        return render(
            request,
            "organizations/document_gone.html",
            {"document": retired, "period": selectors.in_force_period(retired)},
            status=410,
        )
    return render(
        request,
        "organizations/document_detail.html",
        # `documents` for the contents beside the page, shared with the organization's page
        {"organization": organization, "document": document, "documents": [document]},
    )


def about(request):
    """/about/: what PracticeKB is, who it is for, and how its content is kept."""
    return render(request, "organizations/about.html")


def accessibility(request):
    """/accessibility/: the accessibility statement."""
    return render(request, "organizations/accessibility.html")


def sources(request):
    """/sources/: where every document comes from, and the terms the site and its code use."""
    return render(request, "organizations/sources.html", {"documents": selectors.sources()})
