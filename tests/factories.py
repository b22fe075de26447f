from datetime import date

import factory
from django.contrib.auth import get_user_model

from accmr.core.models import Status
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActorType, Category, District
from services.models import Service


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_el = factory.Sequence(lambda n: f"Οργανισμός {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    actor_type = factory.LazyFunction(lambda: ActorType.objects.get(slug="greek-ngo"))
    approval = Organisation.Approval.APPROVED


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published physical service in Kypseli (6th district), free, Greek course by default."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name_el = factory.Sequence(lambda n: f"Υπηρεσία {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    description_el = "Περιγραφή της υπηρεσίας."
    description_en = "Description of the service."
    status = Status.PUBLISHED
    location_type = Service.LocationType.PHYSICAL
    address_el = "Φωκίωνος Νέγρη 10"
    address_en = "10 Fokionos Negri"
    district = factory.LazyFunction(lambda: District.objects.get(slug="6"))
    latitude = "37.999400"
    longitude = "23.740800"
    assured_date = factory.LazyFunction(date.today)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        slugs = extracted if extracted is not None else ["greek-language"]
        self.categories.set(Category.objects.filter(slug__in=slugs))

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if extracted:
            self.target_groups.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if extracted:
            self.languages.set(extracted)


def member(username: str, organisation, role=Membership.Role.EDITOR):
    """A user who edits for `organisation` (e-mail username@example.org)."""
    user = UserFactory(username=username, email=f"{username}@example.org")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def admin_approve(client, entries, changelist="/admin/services/service/"):
    """Bulk-approve `entries` in the admin as a moderator does: the action, then the
    confirmation page, sending back the versions it showed. Returns the final response."""
    import re

    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    selected = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [e.pk for e in entries]}
    page = client.post(changelist, selected).content.decode()
    seen = dict(re.findall(r'name="(seen-\d+)" value="([0-9a-f]+)"', page))
    return client.post(changelist, {**selected, **seen, "apply": "1"}, follow=True)


# What a browser posts for a service's empty opening-hours and closures formsets.
NO_HOURS_ROWS = {
    f"{relation}-{field}": 0
    for relation in ("schedules", "closures")
    for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}
