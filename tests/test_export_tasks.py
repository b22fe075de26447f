"""Large downloads built by a task (accmr.core.export_tasks), small ones in the request.

The demo lists are small: EXPORT_TASK_ROWS is set to 2 here, and three services make a
"large" list. DummyBackend shows what was queued without running it; a queued task is then
built with `.call()`, as a worker would run it.
"""

import csv
import io
import os
import re
import time

import pytest
from django.tasks import task_backends
from django.test import Client
from openpyxl import load_workbook

from accmr.core import export_tasks, periodic
from accmr.core.export_tasks import build_export, clean_exports, folder

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db
LIST = "/services/"
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": []}}
SITE = "http://testserver"
STATUS = re.compile(r'href="(/exports/([0-9a-f]{32})/)"')


@pytest.fixture(autouse=True)
def large_above_two_rows(settings):
    settings.EXPORT_TASK_ROWS = 2
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (100, 60)}


@pytest.fixture
def services():
    return [ServiceFactory(name_el=f"Υπηρεσία {n}") for n in range(3)]


@pytest.fixture
def dummy(settings):
    settings.TASKS = DUMMY
    return task_backends["default"]


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """A download asked for, with the commit that queues its task."""

    def ask(params, client=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).get(LIST, params)

    return ask


def queued(backend) -> list:
    return [(r.task.name, r.args) for r in backend.results]


def run_queued(backend) -> None:
    for result in backend.results:
        result.task.call(*result.args, **result.kwargs)


def status_of(response) -> tuple[str, str]:
    return STATUS.search(response.content.decode()).groups()


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_below_the_threshold_the_csv_comes_at_once(settings, dummy, services, ask):
    settings.EXPORT_TASK_ROWS = 3
    response = ask({"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(read_csv(response.content)) == 1 + 3
    assert queued(dummy) == []


def test_above_it_the_visitor_waits_on_a_page_and_one_task_is_queued(dummy, services, ask):
    response = ask({"format": "csv", "district": "6"})
    assert response.status_code == 202 and not response.has_header("Content-Disposition")
    page = response.content.decode()
    status_url, export_id = status_of(response)
    assert "Η λήψη σας ετοιμάζεται" in page
    assert f'<meta http-equiv="refresh" content="3; url={status_url}">' in page
    assert queued(dummy) == [
        ("build_export", [export_id, "services:list", "district=6", "name", "csv", "el", SITE])
    ]
    assert dummy.results[0].task.queue_name == "exports"

    waiting = Client().get(status_url)
    assert waiting.status_code == 200 and "Η λήψη σας ετοιμάζεται" in waiting.content.decode()
    assert 'http-equiv="refresh"' in waiting.content.decode()
    assert "no-store" in waiting["Cache-Control"]
    # Asked again (the filters in another order, another visitor) while it is prepared.
    again = ask({"district": "6", "format": "csv"})
    assert again.status_code == 202 and status_of(again)[1] == export_id
    assert len(dummy.results) == 1


def test_once_built_the_page_links_the_file_holding_every_row(dummy, services, ask):
    status_url, export_id = status_of(ask({"format": "csv"}))
    assert Client().get(f"/exports/{export_id}/file/").status_code == 404  # not yet
    run_queued(dummy)

    ready = Client().get(status_url)
    page = ready.content.decode()
    assert "Η λήψη σας είναι έτοιμη" in page and 'http-equiv="refresh"' not in page
    assert f'href="/exports/{export_id}/file/"' in page
    file = Client().get(f"/exports/{export_id}/file/")
    assert file["Content-Type"] == "text/csv; charset=utf-8"
    assert file["Content-Disposition"].startswith('attachment; filename="accmr-services-')
    rows = read_csv(body(file))
    assert {row[rows[0].index("Όνομα")] for row in rows[1:]} == {s.name for s in services}


def test_the_xlsx_is_built_by_the_task_too(dummy, services, ask):
    status_url, export_id = status_of(ask({"format": "xlsx", "sort": "name"}))
    run_queued(dummy)
    book = load_workbook(io.BytesIO(body(Client().get(f"/exports/{export_id}/file/"))))
    cells = list(book.active.values)
    assert len(cells) == 1 + 3
    about = {row[0]: row[1] for row in book.worksheets[0].values if row and row[0]}
    assert about["Από"] == f"{SITE}/services/?sort=name"


def test_with_tasks_run_on_commit_the_first_request_builds_it_and_the_next_gets_the_file(
    services, ask
):
    status_url, export_id = status_of(ask({"format": "csv"}))
    assert "Η λήψη σας είναι έτοιμη" in Client().get(status_url).content.decode()
    again = ask({"format": "csv"})
    assert len(read_csv(body(again))) == 1 + 3


def test_asking_again_reuses_the_file_without_a_second_task(dummy, services, ask):
    ask({"format": "csv"})
    run_queued(dummy)
    again = ask({"format": "csv"})
    assert again["Content-Disposition"].startswith("attachment;")
    assert len(read_csv(body(again))) == 1 + 3
    assert len(dummy.results) == 1


def test_a_data_change_makes_a_new_build(dummy, services, ask):
    first_id = status_of(ask({"format": "csv"}))[1]
    run_queued(dummy)
    services[0].name_el = "Άλλο όνομα"
    services[0].save()  # bumps the content generation
    response = ask({"format": "csv"})
    assert response.status_code == 202
    second_id = status_of(response)[1]
    assert second_id != first_id and len(dummy.results) == 2
    build_export.call(*dummy.results[1].args)
    rows = read_csv(body(Client().get(f"/exports/{second_id}/file/")))
    assert "Άλλο όνομα" in {row[rows[0].index("Όνομα")] for row in rows[1:]}


@pytest.mark.parametrize(
    "export_id", ["0" * 32, "not-an-id", "A" * 32, "0" * 31, "..%2F..%2Fetc%2Fpasswd"]
)
def test_an_unknown_or_forged_id_is_a_404(client, export_id):
    assert client.get(f"/exports/{export_id}/").status_code == 404
    assert client.get(f"/exports/{export_id}/file/").status_code == 404


def test_the_file_is_not_reachable_through_a_public_url(
    settings, dummy, services, ask, admin_client
):
    export_id = status_of(ask({"format": "csv"}))[1]
    run_queued(dummy)
    built = folder() / f"{export_id}.csv"
    assert built.exists()
    assert not built.resolve().is_relative_to(settings.MEDIA_ROOT)
    for path in (f"/media/private/exports/{export_id}.csv", f"/media/exports/{export_id}.csv"):
        assert Client().get(path).status_code == 404
    # Not through the staff's private media either: no entry refers to it.
    assert admin_client.get(f"/private-media/exports/{export_id}.csv").status_code == 404


def test_a_failed_build_says_so_with_the_way_back_and_is_built_again_when_asked(
    monkeypatch, dummy, services, ask
):
    status_url, export_id = status_of(ask({"format": "csv", "district": "6"}))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr("accmr.core.exports.Export.write", broken)
        with pytest.raises(RuntimeError):
            run_queued(dummy)
    page = Client().get(status_url).content.decode()
    assert "Η λήψη δεν ήταν δυνατό να ετοιμαστεί" in page and "refresh" not in page
    assert 'href="/services/?district=6"' in page
    assert not list(folder().glob("*.tmp"))

    again = ask({"format": "csv", "district": "6"})
    assert again.status_code == 202 and len(dummy.results) == 2
    build_export.call(*dummy.results[1].args)
    assert "Η λήψη σας είναι έτοιμη" in Client().get(status_url).content.decode()


def test_the_daily_job_deletes_files_of_past_generations(dummy, services, ask):
    ask({"format": "csv"})
    run_queued(dummy)
    old_id = status_of(ask({"format": "csv", "district": "6"}))[1]
    assert clean_exports() == {"export files deleted": 0}  # current, and just written
    ServiceFactory()  # the data changes
    current = status_of(ask({"format": "csv"}))[1]
    hour_ago = time.time() - 2 * 3600
    for file in folder().iterdir():
        os.utime(file, (hour_ago, hour_ago))
    assert clean_exports() == {"export files deleted": 3}  # the old .json + .csv, .json
    assert sorted(p.name for p in folder().iterdir()) == [f"{current}.json"]
    assert not (folder() / f"{old_id}.json").exists()
    day_ago = time.time() - 25 * 3600
    os.utime(folder() / f"{current}.json", (day_ago, day_ago))
    assert clean_exports() == {"export files deleted": 1}
    assert "clean_exports" in [job.name for job in periodic.jobs()]
    assert export_tasks.KEPT.days == 1
