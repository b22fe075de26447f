"""A tree of terms (the categories, the support types) and the municipal districts as a
list's filters, the same in every section that uses them."""

from django.utils.translation import gettext_lazy as _

from accmr.core.filters import TermFilter, TreeFilter

from .models import Category, District, TreeTerm

CATEGORY, SUBCATEGORY = _("Category"), _("Subcategory")


def category_filters(
    relation: str = "categories",
    *,
    label=CATEGORY,
    child_label=SUBCATEGORY,
    children: str = "subcategory",
    panel_open: bool = False,
    terms: type[TreeTerm] = Category,
) -> tuple[TreeFilter, TermFilter]:
    """The top categories (or the tops of another tree of `terms`) drawn as one tree with their children (`?category=legal`
    also matches its subcategories), and the children as a filter of their own
    (`?subcategory=asylum-procedure`): declare them as `category, subcategory = …`."""
    field_name = f"{relation}__slug"
    return (
        TreeFilter(
            label=label,
            queryset=terms.objects.active().top_level(),
            field_name=field_name,
            children=children,
            panel_open=panel_open,
        ),
        TermFilter(
            label=child_label,
            field_name=field_name,
            queryset=terms.objects.active().filter(parent__isnull=False),
            in_panel=False,
        ),
    )


def district_filter(field_name: str = "district__slug", **kwargs) -> TermFilter:
    """The seven municipal districts (`?district=6&district=7`)."""
    return TermFilter(
        label=_("Municipal district"),
        field_name=field_name,
        queryset=District.objects.active(),
        **kwargs,
    )
