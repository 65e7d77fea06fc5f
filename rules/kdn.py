"""R-KDN: debt burden ratio (коэффициент долговой нагрузки), NBRK Res. 215; policy p.37, p.71.

``kdn = (payment on this loan + other monthly debt payments) / avg6``; ``dti_recent`` is the same numerator over
``avg2``. The limit is compared exactly (a tiyn over the limit fails even where the 4-place ratio shows the limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from rules.citations import rule_outcome
from rules.ids import R_KDN
from rules.income import IncomeSummary
from rules.numbers import ratio4
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet


@dataclass(frozen=True)
class Burden:
    """KDN and DTI at recent income for one monthly payment; ratios are ``None`` when the income is 0."""

    payment: Decimal
    other_debt_payments: Decimal
    kdn: Decimal | None
    dti_recent: Decimal | None
    kdn_exact: Fraction | None
    dti_recent_exact: Fraction | None


def burden(payment: Decimal, other_debt_payments: Decimal, incomes: IncomeSummary) -> Burden:
    """NBRK Res. 215: KDN over avg6 and DTI over avg2 (SPEC §3), exact and rounded to 4 places half-up."""
    numerator = Fraction(payment) + Fraction(other_debt_payments)
    kdn_exact = numerator / incomes.exact_avg6 if incomes.sum6 else None
    dti_exact = numerator / incomes.exact_avg2 if incomes.sum2 else None
    return Burden(
        payment=payment,
        other_debt_payments=other_debt_payments,
        kdn=None if kdn_exact is None else ratio4(kdn_exact),
        dti_recent=None if dti_exact is None else ratio4(dti_exact),
        kdn_exact=kdn_exact,
        dti_recent_exact=dti_exact,
    )


def within(ratio: Fraction | None, limit: Decimal) -> bool:
    """Exact ``ratio ≤ limit``; an undefined ratio (no income) is never within."""
    return ratio is not None and ratio <= Fraction(limit)


def kdn(payment: Decimal, other_debt_payments: Decimal, incomes: IncomeSummary, ruleset: RuleSet) -> RuleOutcome:
    """NBRK Res. 215; policy p.37, p.71: passes when KDN ≤ the set's limit (exactly; at the limit passes).

    ``payment`` is the loan's ``scheduled_payment`` for an application, a plan's ``max_regular_payment`` for a plan.
    """
    b = burden(payment, other_debt_payments, incomes)
    passed = within(b.kdn_exact, ruleset.kdn_limit)
    return rule_outcome(
        R_KDN,
        passed,
        {
            "payment": payment,
            "other_debt_payments": other_debt_payments,
            "avg6": incomes.avg6,
            "avg2": incomes.avg2,
            "kdn": b.kdn,
            "dti_recent": b.dti_recent,
            "limit": ruleset.kdn_limit,
        },
        key="" if b.kdn is not None else "R-KDN.no_income",
    )
