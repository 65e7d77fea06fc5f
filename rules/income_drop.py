"""R-INCOME-DROP: the borrower's income fell by more than 30% (LMF Art. 9-2 p.3; policy p.74)."""

from __future__ import annotations

from datetime import date

from rules.citations import rule_outcome
from rules.ids import R_INCOME_DROP
from rules.income import Incomes, IncomeSummary, format_month, summarise
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet


def income_drop_outcome(summary: IncomeSummary, ruleset: RuleSet) -> RuleOutcome:
    """LMF Art. 9-2 p.3: passes when avg2 < (1 − 30%)·avg12 (exactly 30% does not pass), from a summary."""
    passed = summary.drop_test_passed
    return rule_outcome(
        R_INCOME_DROP,
        passed,
        {
            "application_month": format_month(summary.application_month),
            "avg2": summary.avg2,
            "avg12": summary.avg12,
            "drop_pct": summary.drop_pct,
            "threshold_pct": ruleset.income_drop_threshold_pct,
        },
    )


def income_drop(incomes: Incomes, received_on: date, ruleset: RuleSet) -> RuleOutcome:
    """LMF Art. 9-2 p.3; policy p.74: the income-drop test for an application received on ``received_on``.

    Raises ``MissingIncomeMonths`` naming every month of the 12 before the application month that is absent.
    """
    summary = summarise(incomes, received_on, drop_threshold_pct=ruleset.income_drop_threshold_pct)
    return income_drop_outcome(summary, ruleset)
