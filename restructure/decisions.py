"""The stored decision document of an application, read once into a typed value (SPEC §6, §8).

``Application.decision`` is JSON written by ``propose`` (``restructure/applications.py``) and, when a plan takes
effect, by ``restructure/agreement.py``. Every reader — the API's ``describe``, the notices, the reports, the
Fineract export — goes through :func:`read_decision`, so a key is spelled in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

ACCEPTED_DECISION = "accepted_decision"
COUNTER_OFFER_ACCEPTED = "counter_offer_accepted"
REQUESTED_AFTER_DECLINE = "requested_after_decline"
REQUESTED_AFTER_LAPSE = "requested_after_lapse"
"""The ``agreed_as`` of a plan in effect (SPEC §8): the lender's accept, the borrower's acceptance of a
counter-offer, or (a mandatory request) the request itself after the counter-offer was declined or lapsed."""


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class StoredDecision:
    """The decision document's fields."""

    plan: Mapping[str, Any] | None
    params: Mapping[str, Any] | None
    reasons: tuple[str, ...]
    comment: str
    start_on: date | None
    agreed_on: date | None
    agreed_as: str | None
    snapshot_as_of: date | None
    missing_documents: tuple[str, ...] | None

    @property
    def requested_in_effect(self) -> bool:
        """The borrower's own request took effect after a declined or lapsed counter-offer (SPEC §8)."""
        return self.agreed_as in (REQUESTED_AFTER_DECLINE, REQUESTED_AFTER_LAPSE)

    @property
    def schedule(self) -> list[Mapping[str, Any]]:
        """The plan's schedule lines (empty without a plan)."""
        return list((self.plan or {}).get("schedule") or [])


def read_decision(document: Mapping[str, Any] | None) -> StoredDecision | None:
    """The typed decision, or ``None`` when there is none."""
    if document is None:
        return None
    missing = document.get("missing_documents")
    return StoredDecision(
        plan=document.get("plan") or None,
        params=document.get("params") or None,
        reasons=tuple(document.get("reasons") or ()),
        comment=document.get("comment") or "",
        start_on=_day(document.get("start_on")),
        agreed_on=_day(document.get("agreed_on")),
        agreed_as=document.get("agreed_as"),
        snapshot_as_of=_day(document.get("snapshot_as_of")),
        missing_documents=None if missing is None else tuple(missing),
    )


EMPTY = StoredDecision(
    plan=None, params=None, reasons=(), comment="", start_on=None, agreed_on=None, agreed_as=None,
    snapshot_as_of=None, missing_documents=None,
)
"""No decision yet: every field empty."""


def decision_of(document: Mapping[str, Any] | None) -> StoredDecision:
    """:func:`read_decision`, with :data:`EMPTY` for no decision."""
    return read_decision(document) or EMPTY
