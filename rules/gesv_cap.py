"""R-GESV-CAP: the restructured schedule's GESV (годовая эффективная ставка вознаграждения) within the cap in force
(LMF Art. 5; joint ARDFM Res. 62 / NBRK Res. 45 of 2024: 46%, 179% for short loans), scoped by SPEC §8."""

from __future__ import annotations

from decimal import Decimal

from rules.citations import rule_outcome
from rules.ids import R_GESV_CAP
from rules.outcome import RuleOutcome, outcome_key
from rules.ruleset import RuleSet


def gesv_cap(
    gesv_pct: Decimal | None,
    ruleset: RuleSet,
    *,
    baseline_gesv_pct: Decimal | None = None,
    cap_pct: Decimal | None = None,
) -> RuleOutcome:
    """LMF Art. 5; SPEC §8 "GESV cap scope": fails only when the GESV exceeds the cap in force (``cap_pct``, default
    the set's) **and** the baseline's GESV (the contract's remaining schedule unchanged), so a restructuring that
    keeps or lowers the cost of a contract signed under an older cap is never blocked by the newer cap.

    ``passed=None`` when the engine could not compute a GESV. Without a baseline GESV only the cap counts.
    """
    cap = ruleset.gesv_cap_pct if cap_pct is None else cap_pct
    above_cap = gesv_pct is not None and gesv_pct > cap
    above_baseline = baseline_gesv_pct is None or (gesv_pct is not None and gesv_pct > baseline_gesv_pct)
    passed = None if gesv_pct is None else not (above_cap and above_baseline)
    key = outcome_key(R_GESV_CAP, passed)
    if passed and above_cap:
        key = "R-GESV-CAP.within_baseline"
    return rule_outcome(
        R_GESV_CAP,
        passed,
        {"gesv_pct": gesv_pct, "cap_pct": cap, "baseline_gesv_pct": baseline_gesv_pct},
        key=key,
    )
