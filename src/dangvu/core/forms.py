"""Form helpers shared by the apps' pages."""

from .errors import DomainError


def add_errors(form, errors: DomainError | dict) -> None:
    """Show a service's refusal on the form: each message under its field, or above the form."""
    for key, msg in (errors if isinstance(errors, dict) else errors.errors).items():
        form.add_error(key if key in form.fields else None, msg)
