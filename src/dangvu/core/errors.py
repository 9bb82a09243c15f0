"""The one exception services raise for a refused operation, with messages per field (Vietnamese)."""


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


class NotFound(Exception):
    """The object does not exist, or the acting user may not see it: both look the same (404)."""
