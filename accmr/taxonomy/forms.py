"""How editors' forms offer terms: the categories as their tree's leaves, in its order,
each under its parent's name; languages with their own names."""

from .models import Category, Language


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
