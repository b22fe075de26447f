from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "tests.kit"
    label = "kit"
    verbose_name = "Kit test entries"

    def ready(self):
        from accmr.core.sections import EntryType, register_section

        from .demo import load as load_demo
        from .forms import ProgrammeForm
        from .models import Programme

        register_section(
            EntryType(
                model=Programme,
                form_class=ProgrammeForm,
                card_template="kit/_programme_card.html",
                add_label="Add a programme",
                none_published_label="No programmes published.",
                order=90,
                # Its public list and pages, mounted by the registry at /kit/.
                urls="tests.kit.urls",
                list_url_name="kit:list",
                child_relations=("sessions",),
                demo=load_demo,
            )
        )
