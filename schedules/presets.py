"""The plans the service always offers (SPEC §4), except the recommended plan (``rules/``).

Magnitudes (chosen here, documented for the credit officer):

* ``rate_cut`` — the rate halved (to 50 % of the loan's, rounded down to 4 decimals);
* ``term_extension`` — 12 more months;
* ``payment_cut_50`` — the instalment cut by at least 50 % (R-CUT-50);
* ``principal_deferral_3m`` — 3 months of interest-only instalments;
* ``full_deferral_3m`` — 3 months without instalments (interest of the 3 months to the arrears bucket);
* ``method_change`` — annuity → differentiated, differentiated → annuity, principal_first → annuity;
* ``penalty_forgiveness`` — every penalty forgiven.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from schedules.terms import Forgiveness, LoanSnapshot, Method, PlanParams

RATE_CUT_FRACTION = Decimal("0.5")
EXTENSION_MONTHS = 12
PAYMENT_CUT_PCT = Decimal("50")
DEFERRAL_MONTHS = 3
_RATE_PLACES = Decimal("0.0001")
_OTHER_METHOD: dict[str, Method] = {
    "annuity": "differentiated",
    "differentiated": "annuity",
    "principal_first": "annuity",
}


def presets(loan: LoanSnapshot) -> tuple[PlanParams, ...]:
    """The seven preset plans for ``loan``, each with its ``label``."""
    new_rate = (loan.annual_rate_pct * RATE_CUT_FRACTION).quantize(_RATE_PLACES, rounding=ROUND_DOWN)
    return (
        PlanParams(new_rate_pct=new_rate, label="rate_cut"),
        PlanParams(extra_months=EXTENSION_MONTHS, label="term_extension"),
        PlanParams(payment_cut_pct=PAYMENT_CUT_PCT, label="payment_cut_50"),
        PlanParams(deferral_months=DEFERRAL_MONTHS, deferral_of="principal", label="principal_deferral_3m"),
        PlanParams(deferral_months=DEFERRAL_MONTHS, deferral_of="principal_and_interest", label="full_deferral_3m"),
        PlanParams(method=_OTHER_METHOD.get(loan.method, "annuity"), label="method_change"),
        PlanParams(forgive=Forgiveness(penalties="all"), label="penalty_forgiveness"),
    )
