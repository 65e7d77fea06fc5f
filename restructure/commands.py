"""The frame of every workflow command (SPEC §6, §9): one transaction that locks the record, checks that the action
is allowed in its state, runs the command and commits; any error rolls it all back, so nothing changes. And the two
reads every record has: the record itself and its trail, for whoever may see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from restructure.access import Actor
from restructure.trails import Trail
from restructure.uow import UnitOfWork


class _Stateful(Protocol):
    status: str


R = TypeVar("R", bound=_Stateful)
V = TypeVar("V")


@contextmanager
def command(
    uow: UnitOfWork,
    lock: Callable[[UnitOfWork, Actor, int], R],
    allowed: Callable[[str, str], None],
    actor: Actor,
    record_id: int,
    action: str,
) -> Iterator[R]:
    """``with command(uow, locked, wf.ensure_allowed, actor, id, "withdraw") as app: …``: the locked record, once
    ``action`` is allowed in its state; committed when the block ends without an error."""
    with uow:
        record = lock(uow, actor, record_id)
        allowed(action, record.status)
        yield record
        uow.commit()


@dataclass(frozen=True)
class VisibleRecords(Generic[V]):
    """The two reads every kind of record has, for whoever may see it: ``find`` returns the record or raises
    ``NotFound`` (a borrower asking for another's record finds nothing)."""

    find: Callable[[UnitOfWork, Actor, int], V]
    trail: Trail

    def get(self, uow: UnitOfWork, actor: Actor, record_id: int) -> V:
        """One record; a borrower sees only their own (others look missing)."""
        with uow:
            return self.find(uow, actor, record_id)

    def events(self, uow: UnitOfWork, actor: Actor, record_id: int) -> list[Any]:
        """The record's append-only trail, oldest first."""
        with uow:
            self.find(uow, actor, record_id)
            return self.trail.events(uow, record_id)
