"""Who is calling: roles, the actor of a request, and the per-record visibility rule."""

from __future__ import annotations

from dataclasses import dataclass

from restructure.errors import NotFound

BORROWER = "borrower"
CREDIT_OFFICER = "credit_officer"
RIGHTS_OFFICER = "rights_officer"
ADMIN = "admin"
LAWYER = "lawyer"
DIRECTOR = "director"
ROLES = (BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN, LAWYER, DIRECTOR)
STAFF = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)


@dataclass(frozen=True)
class Actor:
    """The authenticated caller. ``borrower_id`` is set exactly when ``role`` is borrower; ``person_id`` is the
    person behind the account (segregation of duties is by person, SPEC §8)."""

    user_id: int
    role: str
    borrower_id: int | None = None
    person_id: str | None = None

    @property
    def is_borrower(self) -> bool:
        return self.role == BORROWER


def ensure_visible(actor: Actor, borrower_id: int, what: str) -> None:
    """A borrower sees only their own records; anything else looks exactly like a missing record."""
    if actor.is_borrower and actor.borrower_id != borrower_id:
        raise NotFound(f"{what} not found.")
