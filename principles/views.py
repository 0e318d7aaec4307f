from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Theme


def statement_detail(request, pk):
    page = selectors.statement_page(pk, request.user)
    permalink = request.build_absolute_uri(page.statement.get_absolute_url())
    return render(
        request,
        "principles/statement_detail.html",
        {"page": page, "citation": page.statement.citation(permalink)},
    )


def theme_list(request):
    return render(request, "principles/theme_list.html", {"themes": selectors.themes_with_counts()})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    statements = selectors.theme_statements(theme, request.user)
    return render(
        request, "principles/theme_detail.html", {"theme": theme, "statements": statements}
    )
