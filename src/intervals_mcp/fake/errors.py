"""How a request to the fake's data fails; the app answers 404, 422 and 400 for them, in the
service's short body `{"status": …, "error": …}`."""

from __future__ import annotations


class NotFound(LookupError):
    """The requested record does not exist."""


class Invalid(ValueError):
    """The request was understood but breaks a rule of the API (the service answers 422)."""


class BadJson(ValueError):
    """A value Jackson cannot read into the field's type (the service answers 400)."""
