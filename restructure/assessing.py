"""The rules' assessment of a request, with the rules' input errors turned into 422s that name the field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from restructure.errors import InvalidInput
from rules.assessment import Assessment, assess
from rules.borrower import BorrowerFlags
from rules.errors import MissingIncomeMonths, NoRuleSetInForce, RulesError
from rules.ruleset import RuleSet
from schedules.terms import LoanSnapshot, PlanParams


def assessed(
    loan: LoanSnapshot,
    borrower: BorrowerFlags,
    incomes: Mapping[date, Decimal],
    received_on: date,
    requested: PlanParams | None,
    *,
    ruleset: RuleSet | None = None,
    military_service_until: date | None = None,
) -> Assessment:
    """``rules.assessment.assess``; missing income months are named, never read as zero; a service end date too
    near ``date.max`` to compute with is a 422 naming it."""
    try:
        return assess(
            loan,
            borrower,
            incomes,
            received_on,
            requested,
            ruleset=ruleset,
            military_service_until=military_service_until,
        )
    except OverflowError as exc:
        raise InvalidInput(
            "A date is too far in the future to compute with.", {"military_service_until": ["Out of range."]}
        ) from exc
    except MissingIncomeMonths as exc:
        raise InvalidInput(
            "Income is missing for months the rules need.", {"incomes": [f"Missing months: {', '.join(exc.months)}"]}
        ) from exc
    except NoRuleSetInForce as exc:
        raise InvalidInput("No rule set was in force then.", {"received_on": [str(exc)]}) from exc
    except RulesError as exc:
        raise InvalidInput("The request cannot be assessed.", {"incomes": [str(exc)]}) from exc
