"""The frame of every workflow command (SPEC §6, §9): one transaction that locks the record, checks that the action
is allowed in its state, runs the command and commits; any error rolls it all back, so nothing changes. And the two
reads every record has: the record itself and its trail, for whoever may see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from restructure.access import Actor
from restructure.trails import Trail
from restructure.uow import UnitOfWork


class _Stateful(Protocol):
    status: str


R = TypeVar("R", bound=_Stateful)


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


def read_visible(uow: UnitOfWork, visible: Callable[[UnitOfWork, Actor, int], R], actor: Actor, record_id: int) -> R:
    """The record, if ``actor`` may see it (``visible`` raises ``NotFound`` otherwise)."""
    with uow:
        return visible(uow, actor, record_id)


def trail_of_visible(
    uow: UnitOfWork, visible: Callable[[UnitOfWork, Actor, int], Any], trail: Trail, actor: Actor, record_id: int
) -> list[Any]:
    """The record's trail, oldest first, if ``actor`` may see the record."""
    with uow:
        visible(uow, actor, record_id)
        return trail.events(uow, record_id)
