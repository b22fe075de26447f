"""How editors' forms offer terms: the categories as their tree's leaves, in its order,
each under its parent's name; languages with their own names."""

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from .models import Category, Language, SupportType


def offer_categories(field) -> None:
    """ "Legal support › Asylum procedure", in the order of the tree (a top category with
    no children is offered as itself)."""
    field.queryset = (
        Category.objects.active()
        .filter(children__isnull=True)
        .select_related("parent")
        .order_by("parent__position", "position")
    )
    field.label_from_instance = lambda c: f"{c.parent.name} › {c.name}" if c.parent_id else c.name


def offer_languages(field) -> None:
    field.queryset = Language.objects.active()
    field.label_from_instance = lambda language: language.label


def offer_support_types(field) -> None:
    """Every support type in the tree's order, each child under its parent's name, and a
    top one with children also on its own ("Know-how – any kind", which matches them all)."""
    field.queryset = (
        SupportType.objects.active()
        .select_related("parent")
        .annotate(has_children=Exists(SupportType.objects.filter(parent=OuterRef("pk"))))
        .order_by(
            Coalesce("parent__position", "position"),
            Coalesce("parent__slug", "slug"),
            F("parent").asc(nulls_first=True),
            "position",
        )
    )

    def label(term) -> str:
        if term.parent_id:
            return f"{term.parent.name} › {term.name}"
        if getattr(term, "has_children", False):
            return gettext("%(name)s – any kind") % {"name": term.name}
        return term.name

    field.label_from_instance = label
