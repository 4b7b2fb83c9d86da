"""Errors raised by services.

`DomainError` is a rule saying no: views put its message beside the field it names (or at the
top of the form). `NotFound` and `PermissionDenied` are about access, not input: they are not
DomainErrors, so a view's `except DomainError` never swallows them, and they always answer 404
(someone else's record looks exactly like one that does not exist) or 403.
"""

from __future__ import annotations

from collections.abc import Callable


class DomainError(Exception):
    """A rule said no. `field` names the form field the message belongs beside, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several rules said no at once: a long form reports every problem together."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors


def accumulate_errors(*checks: Callable[[], object]) -> None:
    """Run every check, then raise all their DomainErrors together (as FlaskBB's
    `accumulate_errors` does), so a person fixes a long form in one go."""
    errors: list[DomainError] = []
    for check in checks:
        try:
            check()
        except DomainErrors as several:
            errors.extend(several.errors)
        except DomainError as error:
            errors.append(error)
    if errors:
        raise DomainErrors(errors)


class AccessError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(AccessError):
    """The user may not do this at all (answers 403)."""

    def __init__(self, message: str = "You do not have permission to do that."):
        super().__init__(message)


class NotFound(AccessError):
    """The object does not exist, or belongs to someone else (answers 404)."""

    def __init__(self, message: str = "Page not found"):
        super().__init__(message)
