"""R-COLLECTION-AGENCY: while a collection agency holds the debt no interest is demanded for that period and no
penalty accrues, so none of it is rescheduled (LMF Art. 9-2 p.8; SPEC §8 "Collection agency")."""

from __future__ import annotations

from datetime import date

from rules.citations import rule_outcome
from rules.ids import R_COLLECTION_AGENCY
from rules.outcome import RuleOutcome
from schedules.money import from_tiyn
from schedules.plan import prepare_loan, start_of
from schedules.terms import LoanSnapshot


def collection_agency(loan: LoanSnapshot, start_on: date) -> RuleOutcome | None:
    """LMF Art. 9-2 p.8: the interest and penalties of the agency's period that every plan leaves out
    (``schedules/accrual.py`` says how they are counted); ``None`` when no agency holds the debt."""
    since = loan.with_collection_agency_since
    if since is None:
        return None
    sb = start_of(prepare_loan(loan), start_on)
    return rule_outcome(
        R_COLLECTION_AGENCY,
        True,
        {
            "since": since.isoformat(),
            "interest_excluded": from_tiyn(sb.agency_interest),
            "penalties_excluded": from_tiyn(sb.agency_penalties),
        },
        key="R-COLLECTION-AGENCY.applies",
    )
