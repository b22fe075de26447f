"""What the kit declares once for every section: the moderation fields its admin base
keeps read-only, and the translated fields its forms read from translation.py."""

import re

import pytest
from django.urls import reverse

from accmr.core.admin_bases import ModeratedAdmin
from accmr.core.forms import in_languages
from accmr.core.models import Page
from accmr.core.sections import entry_types
from accmr.core.translation import Translation, translated_fields
from accmr.taxonomy.models import ActivityType
from activities.models import Activity
from services.models import Service
from support.models import SupportPost
from tests.kit.models import Programme
from toolbox.models import ToolboxItem

from .factories import OrganisationFactory, ServiceFactory

MODERATION = ("published_at", "reviewed_by", "reviewed_at", "created_at", "updated_at")


def an_entry(model, organisation):
    """One stored entry of `model`: the least each type needs."""
    if model is Service:
        return ServiceFactory(organisation=organisation)
    common = {"organisation": organisation, "title_el": "Δοκιμή"}
    if model is Activity:
        return Activity.objects.create(**common, activity_type=ActivityType.objects.first())
    if model is ToolboxItem:
        return ToolboxItem.objects.create(
            **common, kind=ToolboxItem.Kind.MANUAL, external_url="https://example.org/guide"
        )
    if model is SupportPost:
        return SupportPost.objects.create(**common, kind=SupportPost.Kind.OFFER)
    if model is Programme:
        return Programme.objects.create(**common)
    raise AssertionError(f"Say here how to make a {model.__name__} for its admin page.")


@pytest.mark.django_db
@pytest.mark.parametrize("entry_type", entry_types(), ids=lambda t: t.key)
def test_every_entry_types_admin_keeps_the_moderation_fields_read_only(admin_client, entry_type):
    entry = an_entry(entry_type.model, OrganisationFactory())
    opts = entry._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    adminform = response.context["adminform"]
    assert set(MODERATION) <= set(adminform.readonly_fields)
    html = response.content.decode()
    for name in MODERATION:
        assert f'name="{name}"' not in html  # no input for it
        row = re.search(rf'<div class="[^"]*\bfield-{name}\b.*?</div>\s*</div>', html, re.S)
        assert row and 'class="readonly"' in row.group(0), name
    # Declared once, in the base: no section admin lists them again.
    assert not set(MODERATION) & set(adminform.model_admin.readonly_fields)


def test_the_moderated_base_names_the_moderation_fields():
    assert ModeratedAdmin.moderation_fields == MODERATION


def test_translated_fields_keep_the_order_translation_py_writes():
    # modeltranslation keeps `fields` as a set, in an order that changes between runs.
    assert translated_fields(Service) == [
        "name",
        "description",
        "address",
        "fees_description",
        "application_process",
        "eligibility_description",
        "required_documents",
        "funding",
        "hours_notes",
    ]
    assert translated_fields(Page) == ["title", "body"]
    assert translated_fields(ActivityType) == ["name"]  # registered without Translation


def test_a_translation_remembers_its_fields_and_its_parents_in_written_order():
    class Parent(Translation):
        fields = ("zeta", "alpha", "mu", "beta")

    class Child(Parent):
        fields = ("omega", "gamma")

    assert Parent.field_order == ("zeta", "alpha", "mu", "beta")
    assert Child.field_order == ("omega", "gamma", "zeta", "alpha", "mu", "beta")


@pytest.mark.django_db
@pytest.mark.parametrize("entry_type", entry_types(), ids=lambda t: t.key)
def test_every_entry_form_shows_each_translated_field_in_both_languages_greek_first(
    entry_type,
):
    translated = translated_fields(entry_type.model)
    assert translated
    form = entry_type.form_class()
    assert form.Meta.bilingual == translated
    shown = [name for name in form.fields if name in in_languages(translated)]
    assert shown == in_languages(translated)
    assert [(el.name, en.name) for el, en in form.bilingual_pairs()] == [
        (f"{name}_el", f"{name}_en") for name in translated
    ]
    # Their child rows too: each row form has its model's translated fields.
    for formset_class in form.child_formsets.values():
        row_fields = list(formset_class.form.base_fields)
        row_translated = in_languages(translated_fields(formset_class.model))
        assert [name for name in row_fields if name in row_translated] == row_translated
