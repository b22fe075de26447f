"""django-tasks-db's app (the task queue's table and `db_worker`), named in the admin's
language: its own name is not translatable. Alone in its module: an apps module with two
AppConfig classes would leave accmr.core without its own."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Task queue")
