from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .access import may_view_private_file
from .actions import file_report
from .cache import public_page
from .clients import client_key
from .forms import ReportForm
from .models import Page
from .periodic import overdue_jobs, worker_missing
from .ratelimit import MESSAGES, over_limit
from .redis_cache import shared_cache_down
from .sections import entry_type_by_key, sections
from .uploads import PRIVATE


def paginate(request, queryset, per_page: int, *, count=None) -> PaginatorPage:
    """The page asked for by ?page=, or the nearest real one with a message saying so.

    `count`, if given, is a function returning the number of rows (a cached count).
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count()  # Paginator.count is a cached_property
    page = paginator.get_page(request.GET.get("page"))
    asked = request.GET.get("page", str(page.number))
    if asked != str(page.number):
        messages.info(
            request,
            _("There is no page %(asked)s; showing page %(number)s.")
            % {"asked": asked[:20], "number": page.number},
        )
    return page


@public_page()
def home(request):
    """The sections' parts of the home page, in their order."""
    parts = [(s.home_template, s.home_context(request)) for s in sections() if s.home_template]
    return render(request, "core/home.html", {"sections": parts})


@never_cache
def healthz(request):
    """Plain "OK" once the database and the shared cache answer, the periodic jobs have run
    and the task worker takes the tasks; load balancers and uptime checks poll it.

    Without Redis the portal still serves every page (from the database), so the answer
    stays 200 and says "DEGRADED": a shared Redis down must not take every server out of
    rotation at once; overdue periodic jobs and a missing worker are DEGRADED alike. With
    ?strict it is a 503, for monitors that read only the status. Reading the jobs' runs
    is the database's check (one query; one more with the database task backend)."""
    overdue = overdue_jobs()
    problems = []
    if shared_cache_down():
        problems.append("cache: down (pages come from the database)")
    if overdue:
        names = ", ".join(late.job.name for late in overdue)
        problems.append(f"periodic jobs: overdue ({names}); is run_periodic running?")
    if worker_missing():
        problems.append("task worker: not running (a task has waited over 15 minutes)")
    if not problems:
        return HttpResponse("OK", content_type="text/plain")
    body = "DEGRADED\ndatabase: ok\n" + "".join(f"{line}\n" for line in problems)
    status = 503 if "strict" in request.GET else 200
    return HttpResponse(body, content_type="text/plain", status=status)


# Not /accounts/: organisations look for the registration page. A section adds its own
# (Section.private_paths).
PRIVATE_PATHS = ("admin/", "dashboard/", "report/")


def robots_txt(request):
    """Crawlers may read every public page in both languages, registration included, but
    not the editors' and staff's pages or the report forms, nor build the downloads."""
    lines = ["User-agent: *"]
    private = [*PRIVATE_PATHS, *(path for s in sections() for path in s.private_paths)]
    for prefix in ("/", "/en/"):
        lines += [f"Disallow: {prefix}{path}" for path in private]
    lines.append("Disallow: /*format=")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public_page()
def page(request, slug):
    return render(request, "core/page_detail.html", {"page": get_object_or_404(Page, slug=slug)})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: a broken database or template must not fail the 500 page too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@staff_member_required
def private_media(request, path):
    """An upload nobody has approved yet, for the staff who may view what it belongs to
    (never cached); 404 for other staff, as for a missing file."""
    storage = storages["private"]
    try:
        exists = storage.exists(path)
    except SuspiciousFileOperation:
        exists = False
    if not exists or not may_view_private_file(request.user, PRIVATE + path):
        raise Http404
    response = FileResponse(storage.open(path), filename=PurePosixPath(path).name)
    patch_cache_control(response, private=True, no_store=True)
    return response


@never_cache
def report_entry(request, kind, pk):
    """ "Report a problem" with a public entry: kept for the admin, mailed to its editors
    and the moderators; the visitor goes back to the entry with a thank-you. Only reports
    that would be sent count towards the limit, and a refused one keeps its text."""
    entry_type = entry_type_by_key(kind)
    if entry_type is None:
        raise Http404
    entry = get_object_or_404(entry_type.model.objects.published(), pk=pk)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_bot:  # thanked like anyone, and nothing is kept
            return _thank(request, entry)
        if not over_limit("report", f"ip:{client_key(request)}"):
            file_report(entry, **form.cleaned_data_for_report(), language=request.LANGUAGE_CODE)
            return _thank(request, entry)
        form.add_error(None, MESSAGES["report"])
        status = 429
    return render(request, "core/report_form.html", {"form": form, "entry": entry}, status=status)


def _thank(request, entry):
    messages.success(
        request, _("Thank you. The organisation and the portal's moderators will check it.")
    )
    return redirect(entry.get_absolute_url())
