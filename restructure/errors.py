"""Domain errors. Each has a stable machine ``code``; ``api/errors.py`` is the only place that maps them to HTTP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """Base of every error the service layer raises on purpose."""

    code = "domain_error"
    title = "Request cannot be processed"

    def __init_subclass__(cls, *, code: str, title: str, **kwargs: object) -> None:
        """``class NotFound(DomainError, code="not_found", title="Not found")``: each error names its code and title."""
        super().__init_subclass__(**kwargs)
        cls.code = code
        cls.title = title

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError, code="not_found", title="Not found"):
    """The record does not exist, or the caller may not see it (a borrower asking for another's record)."""


class Conflict(DomainError, code="conflict", title="Conflict with the current state"):
    """The request clashes with the current state of a record (a duplicate, a transition not allowed now)."""

    def __init__(self, detail: str, *, state: str | None = None, related: Mapping[str, object] | None = None):
        super().__init__(detail)
        self.state = state
        self.related = dict(related or {})


class InvalidInput(DomainError, code="validation_error", title="Invalid input"):
    """Input that passed the schema but is wrong in context; ``errors`` maps field paths to messages."""

    def __init__(self, detail: str, errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(detail)
        self.errors = {field: list(messages) for field, messages in (errors or {}).items()}


class RuleViolation(DomainError, code="rule_violation", title="A regulatory rule forbids this"):
    """A regulatory rule forbids the request; ``rule`` is the rule id (``R-MANDATORY``)."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule


class Forbidden(DomainError, code="forbidden", title="Forbidden"):
    """The caller's role may not do this to this record."""


class StaleSnapshot(Conflict, code="stale_snapshot", title="The loan snapshot is stale"):
    """SPEC §8: the loan's latest snapshot is already past its next due date; the core system must send a new one."""


class SamePerson(Forbidden, code="same_person", title="The proposer cannot concur"):
    """SPEC §8: the person who proposed a decision can never concur with it, whatever account they use."""
