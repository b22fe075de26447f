"""Large list downloads, built by a task on the "exports" queue instead of in the request.

A list of more than EXPORT_TASK_ROWS rows is not built while the visitor waits: the
request queues `build_export` and answers a page that says the file is being prepared and
refreshes itself (a meta refresh: no script needed) until the file is ready or has failed.

Each export is known by an id: a digest of the list, its filters, sort, format,
language and origin and of the generations of the data (accmr.core.cache), so the same
export asked again before anything changes is the same file, served without a rebuild, and
a change makes a new id. Its files live in the private storage's exports/ folder, which
no URL serves (the staff's private_media view only opens files an entry refers to):

    <id>.json   what was asked (the task's arguments, the list's address), written once
                when the task is queued, so it is queued once however often it is asked
    <id>.csv    the file, or <id>.xlsx; written under a temporary name, then renamed
    <id>.failed the build failed (the task's row keeps the traceback)

`clean_exports` (a daily periodic job) deletes the files of past generations.
"""

import json
import os
import re
import time
from datetime import timedelta
from hashlib import sha256
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import storages
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.tasks import task
from django.urls import path, resolve, reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from .cache import CONTENT, TAXONOMY, generations
from .exports import CONTENT_TYPES
from .tasks import enqueue

EXPORT_ID = re.compile(r"[0-9a-f]{32}")
# How often the waiting page reloads itself.
REFRESH_SECONDS = 3
# A file of a past generation is kept this long after it was written (a visitor may be
# fetching it); any file, at most a day.
PAST_GENERATION_KEPT = timedelta(hours=1)
KEPT = timedelta(days=1)


def folder() -> Path:
    return Path(storages["private"].location) / "exports"


class ExportFile:
    """The files of one export (see the module's docstring); reads the disk only."""

    def __init__(self, export_id: str):
        if not EXPORT_ID.fullmatch(export_id):
            raise ValueError(export_id)
        self.id = export_id
        self.meta_path = folder() / f"{export_id}.json"
        self.failed_path = folder() / f"{export_id}.failed"

    @classmethod
    def of(cls, meta: dict) -> "ExportFile":
        """The export `meta` asks for (see prepare): its list, in its language, of the
        data of its generations."""
        said = [meta[name] for name in ("url_name", "query", "sort", "format", "language")]
        said += [meta["site"], *meta["generations"]]
        return cls(sha256("\n".join(said).encode()).hexdigest()[:32])

    def meta(self) -> dict | None:
        try:
            return json.loads(self.meta_path.read_text())
        except (FileNotFoundError, ValueError):
            return None

    def file_path(self, fmt: str) -> Path:
        return folder() / f"{self.id}.{fmt}"

    def state(self, meta: dict) -> str:
        """ "ready", "failed" or "preparing". An export still not built long after a stuck
        task would have been run again (tasks.reset_stuck_tasks) has lost its task."""
        if self.file_path(meta["format"]).exists():
            return "ready"
        lost = time.time() - meta["queued_at"] > 2 * 60 * settings.TASK_STUCK_MINUTES
        return "failed" if lost or self.failed_path.exists() else "preparing"

    def claim(self, meta: dict) -> bool:
        """Record `meta` as the export asked for, if it is not asked already (or has
        failed: it is then asked afresh); whether the caller is to queue its task."""
        folder().mkdir(parents=True, exist_ok=True)
        try:
            with open(self.meta_path, "x") as out:
                json.dump(meta, out)
            return True
        except FileExistsError:
            known = self.meta()
            if known is not None and self.state(known) != "failed":
                return False
        self.failed_path.unlink(missing_ok=True)
        temporary = self.meta_path.with_suffix(f".{uuid4().hex}.tmp")
        temporary.write_text(json.dumps(meta))
        os.replace(temporary, self.meta_path)
        return True


def prepare(request, view, filterset, sort: str, fmt: str, site: str):
    """The answer to a download of a list too long to build in the request: the file if
    it is built already, else the waiting page (202), with its task queued once."""
    meta = {
        "url_name": request.resolver_match.view_name,
        "query": view.filter_query(request.GET, filterset),
        "sort": sort,
        "format": fmt,
        "language": translation.get_language() or "",
        "site": site,
        "generations": generations(CONTENT, TAXONOMY),
        "list_url": view.list_address(request.path, request.GET, filterset),
        "filename": view.export.download_name(fmt),
        "queued_at": time.time(),
    }
    export = ExportFile.of(meta)
    known = export.meta()
    if known is not None and export.state(known) == "ready":
        return _file_response(export, known)
    if export.claim(meta):
        args = [meta[name] for name in ("url_name", "query", "sort", "format", "language")]
        enqueue(build_export, export.id, *args, site)
    return _status_page(request, export, export.meta() or meta, status=202)


@task(queue_name="exports")
def build_export(
    export_id: str, url_name: str, query: str, sort: str, fmt: str, language: str, site: str
) -> str:
    """Write the file of the export `export_id` (see prepare) unless it is there already.

    Idempotent: a second run finds the file and does nothing; a failed build leaves a
    marker for the waiting page and fails the task with its traceback."""
    export = ExportFile(export_id)
    target = export.file_path(fmt)
    if target.exists():
        return "reused"
    folder().mkdir(parents=True, exist_ok=True)
    temporary = folder() / f"{export_id}.{uuid4().hex}.tmp"
    try:
        with translation.override(language):
            view = resolve(reverse(url_name)).func.view_class()
            if fmt not in view.export.formats:
                raise ValueError(f"Not a format of {url_name}: {fmt}")
            params = QueryDict(query, mutable=True)
            params["sort"] = sort
            filterset, sort, rows = view.filtered(params)
            address = view.list_address(reverse(url_name), params, filterset)
            about = view.export_about(site + address, filterset, sort)
            with open(temporary, "wb") as out:
                view.export.write(out, rows, fmt, site, about, filterset)
        os.replace(temporary, target)
    except Exception:
        temporary.unlink(missing_ok=True)
        export.failed_path.touch()
        raise
    export.failed_path.unlink(missing_ok=True)
    return "built"


def _export_or_404(export_id: str) -> tuple[ExportFile, dict]:
    """The export and what was asked, or 404 for an id nobody was given (or cleaned up)."""
    try:
        export = ExportFile(export_id)
    except ValueError:
        raise Http404 from None
    meta = export.meta()
    if meta is None:
        raise Http404
    return export, meta


def _status_page(request, export: ExportFile, meta: dict, *, status: int = 200):
    state = export.state(meta)
    context = {
        "state": state,
        "status_url": reverse("export_status", args=[export.id]),
        "file_url": reverse("export_file", args=[export.id]),
        "list_url": meta["list_url"],
        "filename": meta["filename"],
        "refresh_seconds": REFRESH_SECONDS,
    }
    response = render(request, "core/export_status.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def export_status(request, export_id: str):
    """The waiting page of an export: being prepared (reloading itself), ready (with the
    link to the file) or failed (with the way back to the list)."""
    export, meta = _export_or_404(export_id)
    return _status_page(request, export, meta)


def _file_response(export: ExportFile, meta: dict):
    response = FileResponse(
        open(export.file_path(meta["format"]), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=meta["filename"],
        content_type=CONTENT_TYPES[meta["format"]],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def export_file(request, export_id: str):
    """The built file of an export; 404 until it is ready."""
    export, meta = _export_or_404(export_id)
    if export.state(meta) != "ready":
        raise Http404
    return _file_response(export, meta)


def clean_exports() -> dict[str, int]:
    """Delete the export files of past generations of the data (kept PAST_GENERATION_KEPT
    after they were written) and any older than a day; returns how many."""
    if not folder().is_dir():
        return {"export files deleted": 0}
    current = generations(CONTENT, TAXONOMY)
    now = time.time()
    by_id = {}
    for file in folder().iterdir():
        by_id.setdefault(file.name.split(".")[0], []).append(file)
    deleted = 0
    for export_id, files in by_id.items():
        newest = max(file.stat().st_mtime for file in files)
        meta = ExportFile(export_id).meta() if EXPORT_ID.fullmatch(export_id) else None
        past = meta is None or meta["generations"] != current
        if now - newest > KEPT.total_seconds() or (
            past and now - newest > PAST_GENERATION_KEPT.total_seconds()
        ):
            for file in files:
                file.unlink(missing_ok=True)
                deleted += 1
    return {"export files deleted": deleted}


urlpatterns = [
    path("<str:export_id>/", export_status, name="export_status"),
    path("<str:export_id>/file/", export_file, name="export_file"),
]
