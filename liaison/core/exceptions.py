"""Domain exceptions: errors a user can cause, each with a message that says what to do."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation; `message` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputFieldError(DomainError):
    """One parameter of a filter or query cannot be used; `field` names it (a form shows the message beside it,
    the API names it) and the message says what to give instead."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PolicyRefusal(DomainError):
    """The access or release policy refused; `rule` names the rule that refused (never what is hidden)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


class Conflict(DomainError):
    """The operation does not fit the object's current state (a workflow step out of order, a frozen report, an
    action already done); the API answers 409."""
