"""A workflow's actions: the states each is allowed in, and the conflict that names the state when it is not."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from restructure.errors import Conflict


@dataclass(frozen=True)
class Actions:
    """``table`` maps each action to its verb and the states it is allowed in; ``noun`` names the record in the
    conflict (``Cannot concur with the decision on an application in state 'agreed'.``)."""

    noun: str
    table: Mapping[str, tuple[str, Collection[str]]]

    @property
    def allowed(self) -> dict[str, frozenset[str]]:
        """The states each action is allowed in."""
        return {action: frozenset(states) for action, (_, states) in self.table.items()}

    def ensure_allowed(self, action: str, status: str) -> None:
        """Raise a conflict naming the current state when ``action`` is not allowed in it."""
        verb, states = self.table[action]
        if status not in states:
            raise Conflict(f"Cannot {verb} {self.noun} in state '{status}'.", state=status)
