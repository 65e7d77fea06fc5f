"""The engine's input limits and check ids, shared by the scalar (``plan.py``) and batch (``batch.py``) engines.

The limits keep every interest numerator inside int64 (``schedules/plan.py``, "Units and bounds"); the ids are
those of the ``Violation``s both engines report, and ``V_*`` the batch engine's bits for them.
"""

from __future__ import annotations

MAX_TIYN = 2 * 10**10
"""Largest amount (and total debt) in tiyn the engine accepts: 200 000 000 KZT (keeps int64 safe)."""
MAX_RATE_PPM = 2 * 10**6
"""Largest rate, 200 % a year, in rate_ppm (percent × 10^4)."""
MAX_MONTHS = 600
"""Longest term or deferral in months."""
MAX_INTEREST_PRODUCT = 2**62
"""Bound on ``balance × rate_ppm × days`` that the limits above guarantee (``schedules/batch.py``)."""
MATURED_MIN_INSTALMENTS = 3
"""SPEC §8 "Mandatory cases": a matured loan deferred D months is repaid over ``max(3, extra_months)``
instalments after the deferral (3 = the statutory minimum months, LMF Art. 9-2 p.3)."""

E_INPUT_INVALID = "E-INPUT-INVALID"
E_INPUT_OUT_OF_RANGE = "E-INPUT-OUT-OF-RANGE"
E_PAYMENT_DAY_INVALID = "E-PAYMENT-DAY-INVALID"
E_RATE_NEGATIVE = "E-RATE-NEGATIVE"
E_DEFERRAL_INVALID = "E-DEFERRAL-INVALID"
E_EXTRA_MONTHS_INVALID = "E-EXTRA-MONTHS-INVALID"
E_PAYMENT_CUT_INVALID = "E-PAYMENT-CUT-INVALID"
E_FORGIVE_NEGATIVE = "E-FORGIVE-NEGATIVE"
E_FORGIVE_EXCEEDS = "E-FORGIVE-EXCEEDS"
E_SETTLEMENT_NEGATIVE = "E-SETTLEMENT-NEGATIVE"
E_SETTLEMENT_EXCEEDS_DEBT = "E-SETTLEMENT-EXCEEDS-DEBT"
E_SETTLEMENT_EXCEEDS_COLLATERAL = "E-SETTLEMENT-EXCEEDS-COLLATERAL"
E_PAYMENT_CUT_INFEASIBLE = "E-PAYMENT-CUT-INFEASIBLE"
E_TERM_INVALID = "E-TERM-INVALID"
R_NO_WORSE = "R-NO-WORSE"
"""LMF Art. 9-2: a restructuring may never raise the rate (the engine checks it; ``rules.ids`` names it too)."""
E_TERM_EXCEEDS_MAX = "E-TERM-EXCEEDS-MAX"

# Violation bits of ``BlockResult.violations``, in the order the scalar engine lists them, and its ids.
V_INPUT_INVALID = 1
V_INPUT_OUT_OF_RANGE = 2
V_PAYMENT_DAY_INVALID = 4
V_RATE_NEGATIVE = 8
V_DEFERRAL_INVALID = 16
V_EXTRA_MONTHS_INVALID = 32
V_PAYMENT_CUT_INVALID = 64
V_FORGIVE_NEGATIVE = 128
V_FORGIVE_EXCEEDS = 256
V_SETTLEMENT_NEGATIVE = 512
V_SETTLEMENT_EXCEEDS_DEBT = 1024
V_SETTLEMENT_EXCEEDS_COLLATERAL = 2048
V_PAYMENT_CUT_INFEASIBLE = 4096
V_TERM_INVALID = 8192
V_NO_WORSE = 16384
V_TERM_EXCEEDS_MAX = 32768
VIOLATION_IDS: dict[int, str] = {
    V_INPUT_INVALID: E_INPUT_INVALID,
    V_INPUT_OUT_OF_RANGE: E_INPUT_OUT_OF_RANGE,
    V_PAYMENT_DAY_INVALID: E_PAYMENT_DAY_INVALID,
    V_RATE_NEGATIVE: E_RATE_NEGATIVE,
    V_DEFERRAL_INVALID: E_DEFERRAL_INVALID,
    V_EXTRA_MONTHS_INVALID: E_EXTRA_MONTHS_INVALID,
    V_PAYMENT_CUT_INVALID: E_PAYMENT_CUT_INVALID,
    V_FORGIVE_NEGATIVE: E_FORGIVE_NEGATIVE,
    V_FORGIVE_EXCEEDS: E_FORGIVE_EXCEEDS,
    V_SETTLEMENT_NEGATIVE: E_SETTLEMENT_NEGATIVE,
    V_SETTLEMENT_EXCEEDS_DEBT: E_SETTLEMENT_EXCEEDS_DEBT,
    V_SETTLEMENT_EXCEEDS_COLLATERAL: E_SETTLEMENT_EXCEEDS_COLLATERAL,
    V_PAYMENT_CUT_INFEASIBLE: E_PAYMENT_CUT_INFEASIBLE,
    V_TERM_INVALID: E_TERM_INVALID,
    V_NO_WORSE: R_NO_WORSE,
    V_TERM_EXCEEDS_MAX: E_TERM_EXCEEDS_MAX,
}
KEEPS_SCHEDULE = V_NO_WORSE | V_TERM_EXCEEDS_MAX
"""Violations whose plan is still scheduled (``feasible=False`` with a schedule); others empty it."""


def violation_ids(bits: int) -> tuple[str, ...]:
    """The rule / check ids set in a ``violations`` bit mask."""
    return tuple(rule for bit, rule in VIOLATION_IDS.items() if bits & bit)
