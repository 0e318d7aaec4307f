from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required  # load balancers do not sign in
@never_cache
@require_safe
def healthz(request):
    """'ok' without touching the database or a template: the cheapest full Django request,
    for load balancers, and the ceiling every page is measured against (make bench)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
