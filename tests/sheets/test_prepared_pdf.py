"""Readers' PDFs are prepared by the worker: the request never renders one."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.children import ChildFailed, run_command
from organizations.models import Organization
from principles.models import Document, Statement
from sheets.models import PreparedPdf, PreparedPdfState
from sheets.tasks import prepare_pdf
from tests.conftest import make_organizations
from tests.performance.conftest import page_cache  # noqa: F401 - the page cache, on

PDF = reverse("sheets:organization-pdf", kwargs={"slug": "virginia"})
COMPARISON = reverse("sheets:comparison-pdf") + "?org=virginia&org=maine-cfs&org=vermont-fsd"


def run_queued(queue):
    for result in list(queue.results):
        prepare_pdf.call(*result.args, **result.kwargs)
    queue.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize("address", [PDF, COMPARISON])
def test_the_first_request_gets_the_being_prepared_page_and_a_later_one_the_pdf(
    client, renders, queue, address
):
    response = client.get(address)
    assert response.status_code == 202
    assert response["Cache-Control"] == "no-store"
    assert "Your PDF is being prepared" in response.content.decode()
    assert renders == []  # nothing rendered in the request
    assert len(queue.results) == 1
    assert client.get(address).status_code == 202  # still preparing: no second job
    assert len(queue.results) == 1
    run_queued(queue)  # the worker
    assert len(renders) == 1
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 fake 1"
    assert response["Content-Disposition"].startswith("inline; filename=")
    client.get(address)
    assert len(renders) == 1 and queue.results == []


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_serving_a_prepared_pdf_runs_the_same_few_queries_whatever_it_prints(
    client, renders, queue
):
    counts = []
    for address in (PDF, COMPARISON):
        client.get(address)
        run_queued(queue)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_new_content_means_a_new_pdf(client, renders, queue):
    client.get(PDF)
    run_queued(queue)
    statement = Statement.objects.filter(document__organization__slug="virginia").first()
    statement.title = "Changed"
    statement.save()
    assert client.get(PDF).status_code == 202
    run_queued(queue)
    assert client.get(PDF).content == b"%PDF-1.7 fake 2"


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_an_address_the_worker_cannot_print_answers_its_4xx(client, renders, queue):
    address = reverse("sheets:organization-pdf", kwargs={"slug": "no-such-agency"})
    assert client.get(address).status_code == 202
    run_queued(queue)
    assert PreparedPdf.objects.get().state == PreparedPdfState.FAILED
    assert client.get(address).status_code == 404
    assert renders == []


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_a_lost_job_is_enqueued_again(client, renders, queue):
    client.get(PDF)
    queue.clear()  # the worker died with it
    PreparedPdf.objects.update(requested_at="2000-01-01T00:00Z")
    assert client.get(PDF).status_code == 202
    assert len(queue.results) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache")
def test_signed_in_people_get_their_pdf_in_the_request(client, renders, queue, staffer):
    client.force_login(staffer)
    response = client.get(PDF)
    assert response.status_code == 200
    assert len(renders) == 1 and queue.results == []
    assert not PreparedPdf.objects.exists()  # may show drafts: never kept


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache")
def test_six_concurrent_requests_enqueue_one_job(renders, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    enqueued = []  # each thread has its own task backend: count at the call instead

    class Recorder:
        def enqueue(self, *args):
            enqueued.append(args)

    monkeypatch.setattr("sheets.tasks.prepare_pdf", Recorder())
    organization = Organization.objects.create(
        name="Race Agency", slug="race", kind="state_agency", jurisdiction="X"
    )
    document = Document.objects.create(
        organization=organization, slug="d", title="D", kind="policy", status="published"
    )
    Statement.objects.create(document=document, position=1, kind="value", text="Value.")
    for round_ in range(5):
        address = reverse("sheets:organization-pdf", kwargs={"slug": "race"})
        address += f"?paper={'a4' if round_ % 2 else 'letter'}"
        PreparedPdf.objects.all().delete()
        enqueued.clear()
        barrier, statuses = threading.Barrier(6), []

        def get(address=address, barrier=barrier, statuses=statuses):
            try:
                barrier.wait()
                statuses.append(Client().get(address).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=get) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [202] * 6
        assert len(enqueued) == 1, f"round {round_}"
        assert PreparedPdf.objects.count() == 1
    assert renders == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_in_a_child_process(settings, child_database):
    """As deployed: `manage.py prepare_pdf` in a child process, on the same database."""
    settings.PRACTICEKB_JOBS_IN_CHILD = True
    (organization,) = make_organizations(1, statements_per_section=1, sections=1)
    path = reverse("sheets:organization-pdf", kwargs={"slug": organization.slug})
    assert prepare_pdf.call("child-key", f"http://testserver{path}") == "ready"
    prepared = PreparedPdf.objects.get(pk="child-key")
    assert prepared.state == PreparedPdfState.READY
    assert bytes(prepared.body).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_child_past_its_time_is_killed_and_the_pdf_marked_failed(settings):
    settings.PRACTICEKB_JOBS_IN_CHILD = True
    settings.PRACTICEKB_CHILD_JOB_SECONDS = 0.01
    PreparedPdf.objects.create(key="slow-key")
    with pytest.raises(ChildFailed, match="took over"):
        prepare_pdf.call("slow-key", f"http://testserver{PDF}")
    assert PreparedPdf.objects.get(pk="slow-key").state == PreparedPdfState.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_childs_arguments_are_never_read_as_options(child_database):
    # were "--help" read as an option, the child would print its usage and succeed
    assert run_command("prepare_pdf", "--help", "http://testserver/nowhere/") == "failed"
