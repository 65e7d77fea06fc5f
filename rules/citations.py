"""The source of each rule (SPEC §3), one line per rule id."""

from __future__ import annotations

from collections.abc import Mapping

from rules import ids
from rules.outcome import Citation, Figure, RuleOutcome, outcome_key

SOURCES: dict[str, str] = {
    ids.R_INCOME_DROP: "LMF Art. 9-2 p.3; policy p.74",
    ids.R_KDN: "NBRK Res. 215 of 28.11.2019; policy p.37, p.71",
    ids.R_MANDATORY: "LMF Art. 9-2 p.3; policy p.74; ARDFM Res. 49/2025; Housing Law Art. 68",
    ids.R_CUT_50: "LMF Art. 9-2 p.2 sub 1-1 (Law 205-VIII of 30.06.2025)",
    ids.R_NO_WORSE: "LMF Art. 7 p.3 sub 1, 1-2, 8",
    ids.R_NO_INTEREST_ON_ARREARS: "LMF Art. 4 p.6-7",
    ids.R_GESV_CAP: "LMF Art. 5; joint ARDFM Res. 62 / NBRK Res. 45 of 2024",
    ids.R_PENALTY: "LMF Art. 6 p.3; Art. 7 p.3 sub 4-5",
    ids.R_NO_ACCELERATION: "LMF Art. 9-2 p.3; policy p.75",
    ids.R_SHORT_LOAN_RATE: (
        "LMF Art. 5; joint ARDFM Res. 62 / NBRK Res. 45 of 2024 as amended in 2025 (loans of <=45 days and <=45 MRP)"
    ),
    ids.R_MILITARY_SERVICE: "LMF Art. 7 p.2 sub 11-2",
    ids.R_COLLECTION_AGENCY: "LMF Art. 9-2 p.8",
}


def cite(rule: str) -> Citation:
    """The citation of a rule id."""
    return Citation(rule=rule, source=SOURCES[rule])


def rule_outcome(rule: str, passed: bool | None, figures: Mapping[str, Figure], *, key: str = "") -> RuleOutcome:
    """A rule's outcome with its citation; the text key is ``outcome_key(rule, passed)`` unless ``key`` is given."""
    return RuleOutcome(rule, passed, figures, cite(rule), key or outcome_key(rule, passed))
