from django import forms

from accmr.core.forms import BilingualModelForm, translated_fields

from .models import Programme, Session

SessionFormSet = forms.inlineformset_factory(
    Programme, Session, fields=["starts", "address", "district"], extra=1, can_delete=True
)


class ProgrammeForm(BilingualModelForm):
    child_formsets = {"sessions": SessionFormSet}

    class Meta:
        model = Programme
        fields = translated_fields(Programme)
