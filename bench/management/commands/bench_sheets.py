"""Measure how long a principle sheet's PDF takes to render, end to end through the view."""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.test import Client

from organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Render the PDF sheet of the organization with the most statements (or --organization) "
        "--runs times through the real view and print the timings. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Slug; default: the largest organization.")
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, organization=None, runs, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        organizations = Organization.objects.annotate(size=Count("documents__statements"))
        target = (
            organizations.filter(slug=organization).first()
            if organization
            else organizations.order_by("-size").first()
        )
        if target is None:
            raise CommandError("No such organization; load some with load_organizations.")
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip("."))
        url = f"/organizations/{target.slug}/sheet.pdf"
        client.get(url)  # warm up fonts and templates
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        self.stdout.write(
            f"{url}: {target.size} statements, {len(response.content):,} bytes, {runs} runs\n"
            f"  median {statistics.median(timings):.0f} ms, "
            f"min {min(timings):.0f} ms, max {max(timings):.0f} ms"
        )
