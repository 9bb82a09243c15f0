"""Form helpers shared by the apps' pages."""

from django import forms

from .errors import DomainError

DATE_HELP = "dd/mm/yyyy"


def date_field(label: str, required: bool = True, help_text: str = DATE_HELP) -> forms.DateField:
    """A date typed the Vietnamese way (dd/mm/yyyy), with the numeric keyboard on a phone."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_HELP, "inputmode": "numeric"}),
    )


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


def add_errors(form, errors: DomainError | dict) -> None:
    """Show a service's refusal on the form: each message under its field, or above the form."""
    for key, msg in (errors if isinstance(errors, dict) else errors.errors).items():
        form.add_error(key if key in form.fields else None, msg)
