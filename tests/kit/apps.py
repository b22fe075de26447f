from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "tests.kit"
    label = "kit"
    verbose_name = "Kit test entries"

    def ready(self):
        from accmr.core.entries import EntryType, register_entry_type

        from .forms import ProgrammeForm
        from .models import Programme

        register_entry_type(
            EntryType(
                model=Programme,
                form_class=ProgrammeForm,
                card_template="kit/_programme_card.html",
                add_label="Add a programme",
                none_published_label="No programmes published.",
                order=90,
            )
        )
