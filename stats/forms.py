"""The filters every chart shares, as GET parameters keyed by slugs (shareable URLs)."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accmr.core.filters import DateParamField
from accmr.core.forms import SpecificErrors
from accmr.members.models import member_actor_types
from accmr.taxonomy.models import Category, District

# A date range longer than this is refused: the monthly chart would be unreadable.
MAX_YEARS = 5


def months_ago(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def default_period(start: date | None = None, end: date | None = None) -> tuple[date, date]:
    """The dates asked for, a missing one filled in: the end of this month (activities
    already planned in it count), and twelve whole months back from the end."""
    if end is None:
        today = timezone.localdate()
        end = months_ago(today, -1) - timedelta(days=1)
    return (start or months_ago(end, 11)), end


class SlugChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("required", False)
        super().__init__(queryset, **kwargs)


class StatsFilterForm(SpecificErrors, forms.Form):
    district = SlugChoiceField(
        District.objects.active(), label=_("Municipal district"), empty_label=_("All districts")
    )
    category = SlugChoiceField(
        Category.objects.active().select_related("parent").order_by("parent__position", "position"),
        label=_("Category"),
        empty_label=_("All categories"),
    )
    actor_type = SlugChoiceField(
        member_actor_types(), label=_("Type of organisation"), empty_label=_("All types")
    )
    start = DateParamField(
        label=_("From"),
        required=False,
        help_text=_("For activities and support posts."),
        error_messages={"invalid": _("Enter a date like 2026-01-01.")},
    )
    end = DateParamField(
        label=_("Until"),
        required=False,
        error_messages={"invalid": _("Enter a date like 2026-12-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date fields show the period the page counts, not blanks beside a sentence
        # that names it (a date left empty is filled in by the same rule).
        start, end = default_period()
        self.fields["start"].initial, self.fields["end"].initial = start, end
        if self.is_bound and not (self.data.get("start") or self.data.get("end")):
            self.data = self.data.copy()
            self.data["start"], self.data["end"] = start.isoformat(), end.isoformat()
        self.fields["district"].label_from_instance = lambda district: district.label
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.parent.name} › {c.name}" if c.parent_id else c.name
        )
        for name in ("district", "category", "actor_type"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "That choice is not one of the available ones; showing all."
            )

    def clean(self):
        cleaned = super().clean()
        if self.has_error("start") or self.has_error("end"):
            return cleaned
        start, end = default_period(cleaned.get("start"), cleaned.get("end"))
        if start > end:
            self.add_error("end", _("The end date comes before the start date."))
        elif end - start > timedelta(days=366 * MAX_YEARS):
            self.add_error(
                "start", _("Choose a range of at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return cleaned

    def choices(self) -> "Choices":
        """The valid filters, with the defaults where a value is missing or wrong (for the
        dates, both fall back together: the twelve months up to this one's end)."""
        valid = self.cleaned_data if self.is_bound else {}
        if self.is_bound:
            valid = {k: v for k, v in valid.items() if k not in self.errors}
        dates_ok = not (self.is_bound and (self.has_error("start") or self.has_error("end")))
        start, end = (
            default_period(valid.get("start"), valid.get("end")) if dates_ok else default_period()
        )
        return Choices(
            district=valid.get("district"),
            category=valid.get("category"),
            actor_type=valid.get("actor_type"),
            start=start,
            end=end,
        )


class Choices:
    """The filters a chart is computed for; `key` names them in the cache."""

    def __init__(self, *, district, category, actor_type, start, end):
        self.district, self.category, self.actor_type = district, category, actor_type
        self.start, self.end = start, end

    @property
    def key(self) -> str:
        terms = [getattr(t, "slug", "") for t in (self.district, self.category, self.actor_type)]
        return ":".join([*terms, self.start.isoformat(), self.end.isoformat()])

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in force and the period, for the page and print."""
        shown = [
            (_("Municipal district"), self.district.label if self.district else _("All districts")),
            (_("Category"), str(self.category) if self.category else _("All categories")),
            (
                _("Type of organisation"),
                str(self.actor_type) if self.actor_type else _("All types"),
            ),
        ]
        period = _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j E Y"),
            "end": date_format(self.end, "j E Y"),
        }
        return [*shown, (_("Activities and support posts"), period)]

    def query(self) -> dict:
        """The GET parameters that reproduce these filters (for CSV links)."""
        params = {
            "district": getattr(self.district, "slug", None),
            "category": getattr(self.category, "slug", None),
            "actor_type": getattr(self.actor_type, "slug", None),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }
        return {k: v for k, v in params.items() if v}
