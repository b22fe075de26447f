from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "accmr.taxonomy"
    label = "taxonomy"
    verbose_name = _("Taxonomies")

    def ready(self):
        from accmr.core.cache import TAXONOMY, bump_on_change

        # Filters, forms and pages show the terms: a renamed, moved or hidden term
        # replaces every cached copy.
        for model in self.get_models():
            bump_on_change(model, TAXONOMY)
