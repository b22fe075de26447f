"""A test-only entry type: a title and no slug (like support posts), with child rows."""

from django.db import models
from django.urls import reverse

from accmr.core.models import Searchable
from accmr.members.models import OwnedEntry
from accmr.taxonomy.models import Located


class Programme(Searchable, OwnedEntry):
    title_field = "title"

    title = models.CharField("title", max_length=200)
    summary = models.TextField("summary", blank=True)

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kit:detail", args=[self.pk])

    def search_parts(self) -> list[str]:
        return [self.title_el, self.title_en, self.summary_el, self.summary_en]


class Session(Located):
    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.CASCADE, related_name="sessions"
    )
    starts = models.DateTimeField("starts")

    class Meta(Located.Meta):
        ordering = ["starts"]
        verbose_name = "session"
        verbose_name_plural = "sessions"
