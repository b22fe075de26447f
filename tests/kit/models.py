"""A test-only entry type: a title and no slug (like support posts), with child rows."""

from django.db import models

from accmr.core.models import Searchable, SearchableQuerySet, Status
from accmr.members.models import Organisation, OwnedEntry
from accmr.taxonomy.models import Located


class ProgrammeQuerySet(SearchableQuerySet):
    def published(self):
        return self.filter(
            status=Status.PUBLISHED, organisation__approval=Organisation.Approval.APPROVED
        )

    def for_listing(self):
        return self.select_related("organisation")


class Programme(Searchable, OwnedEntry):
    title_field = "title"
    child_relations = ("sessions",)

    title = models.CharField("title", max_length=200)
    summary = models.TextField("summary", blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/programmes/{self.pk}/"

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
