"""The frame of every workflow command (SPEC §6, §9): one transaction that locks the record, checks that the action
is allowed in its state, runs the command and commits; any error rolls it all back, so nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

from restructure.access import Actor
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
