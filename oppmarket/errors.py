"""Domain errors. Each carries a message a person can act on."""

from __future__ import annotations


class OppMarketError(Exception):
    """Base of every error the domain raises on purpose."""


class ValidationError(OppMarketError):
    """One or more fields are wrong; `fields` maps field name -> message."""

    def __init__(self, fields: dict[str, str] | str, message: str | None = None):
        if isinstance(fields, str):
            fields = {"_": fields}
        self.fields = dict(fields)
        if message is None:
            message = "; ".join(
                msg if name == "_" else f"{name}: {msg}" for name, msg in self.fields.items()
            )
        super().__init__(message)


class ImportErrors(ValidationError):
    """Bad rows of an import file: `fields` maps "line N" to what is wrong there."""

    def __init__(self, problems: dict[str, str], path: str = "the file"):
        self.path = path
        super().__init__(problems, f"{len(problems)} bad row(s) in {path}; nothing was imported")


class PermissionDenied(OppMarketError):
    """The actor may not do this; the message says why."""


class NotFound(OppMarketError):
    """The thing asked for does not exist (or is not visible to the actor)."""


class Conflict(OppMarketError):
    """The request clashes with the current state (duplicate, seats full, wrong status)."""


class DatabaseUnavailable(OppMarketError):
    """The database URL is malformed, the server unreachable, or the schema unusable."""
