"""R-GESV-CAP: the restructured schedule's GESV (годовая эффективная ставка вознаграждения) within the cap of the set
(LMF Art. 5; joint ARDFM Res. 62 / NBRK Res. 45 of 2024: 46%)."""

from __future__ import annotations

from decimal import Decimal

from rules.citations import cite
from rules.ids import R_GESV_CAP
from rules.outcome import RuleOutcome, outcome_key
from rules.ruleset import RuleSet


def gesv_cap(gesv_pct: Decimal | None, ruleset: RuleSet) -> RuleOutcome:
    """LMF Art. 5: passes when GESV ≤ the set's cap; ``passed=None`` when the engine could not compute a GESV."""
    passed = None if gesv_pct is None else gesv_pct <= ruleset.gesv_cap_pct
    return RuleOutcome(
        rule=R_GESV_CAP,
        passed=passed,
        figures={"gesv_pct": gesv_pct, "cap_pct": ruleset.gesv_cap_pct},
        citation=cite(R_GESV_CAP),
        text_key=outcome_key(R_GESV_CAP, passed),
    )
