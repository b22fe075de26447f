"""The portal's settings for the test suite: production code plus a second entry type.

`tests.kit` is an entry type declared only here, with a title instead of a name, no slug
and child rows: it proves that the kit (registry, dashboard, review, admin) works for
any content type, not just services. Static files are found by their source names, so
a bare `pytest` needs no collectstatic; map tiles come from a local blank tile.

Tasks run at once (Django's ImmediateBackend), after the commit that queued them: a test
sees the mail in mail.outbox when its `send` fixture has run the commit callbacks. The
tests of the queue itself switch to the database backend or the DummyBackend.
"""

import os

os.environ.setdefault("MAP_TILES_URL", "/static/img/tile.png")

from accmr.settings import *  # noqa: E402, F403
from accmr.settings import INSTALLED_APPS, STORAGES, TASK_QUEUES  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.kit"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
