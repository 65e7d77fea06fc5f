"""Rule identifiers: the constants that appear in responses, notices and tests."""

from __future__ import annotations

R_INCOME_DROP = "R-INCOME-DROP"
R_KDN = "R-KDN"
R_MANDATORY = "R-MANDATORY"
R_CUT_50 = "R-CUT-50"
R_NO_WORSE = "R-NO-WORSE"
R_NO_INTEREST_ON_ARREARS = "R-NO-INTEREST-ON-ARREARS"
R_GESV_CAP = "R-GESV-CAP"
R_PENALTY = "R-PENALTY"
R_NO_ACCELERATION = "R-NO-ACCELERATION"

RULE_IDS: tuple[str, ...] = (
    R_INCOME_DROP,
    R_KDN,
    R_MANDATORY,
    R_CUT_50,
    R_NO_WORSE,
    R_NO_INTEREST_ON_ARREARS,
    R_GESV_CAP,
    R_PENALTY,
    R_NO_ACCELERATION,
)
