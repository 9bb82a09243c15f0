"""The one exception services raise for a refused operation, with messages per field (Vietnamese)."""

from django.http import Http404


class DomainError(Exception):
    """A business rule refused the operation; nothing was written.

    `errors` maps a field name (as the form or the API body names it) to its message; `__all__` for the whole.
    """

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})
        if field:
            self.errors.setdefault(field, message)
        if not self.errors:
            self.errors["__all__"] = message


class Forbidden(DomainError):
    """Visible to the user, but the user's role does not allow this change (403 on pages and in the API)."""


class Conflict(DomainError):
    """The operation no longer fits the object's state (it was done already, by a double click, another tab or
    another person): nothing was written. The API answers 409."""


class NotFound(Http404):
    """The object does not exist, or the acting user may not see it: both look the same (404).

    A page that lets it escape answers 404 (it is an Http404); the API renders it with its own body."""
