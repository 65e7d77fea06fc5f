"""The rules' explanations and the words for their codes, in the page's or the document's language: rendered here,
at the edge, from the same Flask-Babel catalogues as the notices and the pages (``api/translations``).

The rules and the services return ids, figures and text keys (``rules.outcome.RuleOutcome.text_key``,
``WaterfallStep.text_key``, ``Recommendation.summary_key``, a violation's ``text_key``); the JSON documents carry
them (``restructure/documents.py``), and :func:`localise` fills in each document's ``text``, ``message`` and
``summary`` in the reader's language just before it is answered. A text's msgctxt is its key; its msgid the English
wording, with ``{figure}`` placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_babel import force_locale, pgettext

LANGUAGES = ("kk", "ru", "en")
_DASH = "—"


def _texts() -> dict[str, str]:
    return {
        "R-INCOME-DROP.passed": pgettext(
            "R-INCOME-DROP.passed",
            "Income fell by {drop_pct}%: the average monthly income of the last 2 months ({avg2} KZT) is more "
            "than {threshold_pct}% below the 12-month average ({avg12} KZT).",
        ),
        "R-INCOME-DROP.failed": pgettext(
            "R-INCOME-DROP.failed",
            "Income did not fall by more than {threshold_pct}%: the 2-month average is {avg2} KZT against a "
            "12-month average of {avg12} KZT (a drop of {drop_pct}%).",
        ),
        "R-KDN.passed": pgettext(
            "R-KDN.passed",
            "The debt burden ratio {kdn} is within the limit of {limit}: payments of {payment} KZT on this loan "
            "and {other_debt_payments} KZT on other debts against a 6-month average income of {avg6} KZT.",
        ),
        "R-KDN.failed": pgettext(
            "R-KDN.failed",
            "The debt burden ratio {kdn} exceeds the limit of {limit}: payments of {payment} KZT on this loan and"
            " {other_debt_payments} KZT on other debts against a 6-month average income of {avg6} KZT.",
        ),
        "R-KDN.no_income": pgettext(
            "R-KDN.no_income",
            "The debt burden ratio cannot be computed: there was no income in the 6 months before the "
            "application.",
        ),
        "R-MANDATORY.passed": pgettext(
            "R-MANDATORY.passed",
            "The MFO must agree to the requested change for at least {min_months} months: the request and the "
            "borrower's situation meet the conditions of the law ({grounds}).",
        ),
        "R-MANDATORY.failed_request": pgettext(
            "R-MANDATORY.failed_request",
            "Mandatory approval does not apply: the request contains none of the following: {request_grounds}.",
        ),
        "R-MANDATORY.failed_borrower": pgettext(
            "R-MANDATORY.failed_borrower",
            "Mandatory approval does not apply: the borrower does not belong to a socially vulnerable group and "
            "was not affected by a state of emergency.",
        ),
        "R-MANDATORY.failed_no_hardship": pgettext(
            "R-MANDATORY.failed_no_hardship",
            "Mandatory approval does not apply: the borrower belongs to a socially vulnerable group, but the "
            "income did not fall by more than 30% and no targeted social assistance is assigned.",
        ),
        "R-MANDATORY.failed_both": pgettext(
            "R-MANDATORY.failed_both",
            "Mandatory approval does not apply: the request contains none of the following: {request_grounds}; "
            "and the borrower's situation does not meet the conditions of the law.",
        ),
        "R-MANDATORY.plan_ok": pgettext(
            "R-MANDATORY.plan_ok",
            "The plan grants the relief the law requires, for at least {min_months} months.",
        ),
        "R-MANDATORY.plan_short_deferral": pgettext(
            "R-MANDATORY.plan_short_deferral",
            "The deferral of {deferral_months} months is shorter than the {min_months} months the law requires.",
        ),
        "R-MANDATORY.plan_fees": pgettext(
            "R-MANDATORY.plan_fees",
            "Mandatory relief is granted without fees or other payments, but this plan charges {fees} KZT.",
        ),
        "R-MANDATORY.plan_not_honoured": pgettext(
            "R-MANDATORY.plan_not_honoured",
            "Mandatory approval applies, but the plan grants none of the following for at least {min_months} "
            "months: {request_grounds}.",
        ),
        "R-CUT-50.passed": pgettext(
            "R-CUT-50.passed",
            "The payment cut of {requested_cut_pct}% meets the statutory minimum of {min_cut_pct}%.",
        ),
        "R-CUT-50.failed": pgettext(
            "R-CUT-50.failed",
            "The requested payment cut ({requested_cut_pct}%) is less than the statutory minimum cut of the "
            "scheduled payment ({min_cut_pct}%).",
        ),
        "R-CUT-50.not_applicable": pgettext("R-CUT-50.not_applicable", "No payment cut is requested."),
        "R-NO-WORSE.passed": pgettext(
            "R-NO-WORSE.passed",
            "The change does not worsen the terms: the rate is not raised, no fees are added, and a longer term "
            "or a new repayment method has the borrower's consent.",
        ),
        "R-NO-WORSE.failed": pgettext("R-NO-WORSE.failed", "The change worsens the terms: {problems}."),
        "R-NO-INTEREST-ON-ARREARS.passed": pgettext(
            "R-NO-INTEREST-ON-ARREARS.passed",
            "Overdue interest and penalties are not added to the interest-bearing debt and earn no interest.",
        ),
        "R-NO-INTEREST-ON-ARREARS.failed": pgettext(
            "R-NO-INTEREST-ON-ARREARS.failed",
            "Overdue amounts are treated unlawfully: {problems}.",
        ),
        "R-GESV-CAP.passed": pgettext(
            "R-GESV-CAP.passed",
            "The annual effective rate (GESV), {gesv_pct}%, is within the cap ({cap_pct}%).",
        ),
        "R-GESV-CAP.failed": pgettext(
            "R-GESV-CAP.failed",
            "The annual effective rate (GESV), {gesv_pct}%, exceeds the cap ({cap_pct}%).",
        ),
        "R-GESV-CAP.not_applicable": pgettext(
            "R-GESV-CAP.not_applicable",
            "The GESV cannot be computed for this plan.",
        ),
        "R-PENALTY.passed": pgettext(
            "R-PENALTY.passed",
            "Penalties of {penalties} KZT are within the legal cap of {cap} KZT ({overdue_days} days overdue).",
        ),
        "R-PENALTY.failed": pgettext(
            "R-PENALTY.failed",
            "Penalties of {penalties} KZT exceed the legal cap of {cap} KZT ({overdue_days} days overdue); the "
            "excess may not be charged.",
        ),
        "R-PENALTY.not_applicable": pgettext(
            "R-PENALTY.not_applicable",
            "Penalties cannot be checked: the date the payment became overdue is unknown.",
        ),
        "R-NO-ACCELERATION.passed": pgettext(
            "R-NO-ACCELERATION.passed",
            "While the application is under review, early repayment of the loan may not be demanded.",
        ),
        "R-NO-ACCELERATION.failed": pgettext(
            "R-NO-ACCELERATION.failed",
            "Early repayment was demanded while the application is under review; the law forbids this.",
        ),
        "R-NO-ACCELERATION.not_applicable": pgettext(
            "R-NO-ACCELERATION.not_applicable",
            "No application is under review.",
        ),
        "step.target_met": pgettext(
            "step.target_met",
            "{step}: instalment {payment} KZT, debt burden {dti_recent} is within the target {target}; stop here.",
        ),
        "step.continue": pgettext(
            "step.continue",
            "{step}: instalment {payment} KZT, debt burden {dti_recent} is still above the target {target}; go on"
            " to the next step.",
        ),
        "step.no_effect": pgettext(
            "step.no_effect",
            "{step}: does not lower the largest instalment ({payment} KZT), so it is not applied.",
        ),
        "step.nothing_to_do": pgettext("step.nothing_to_do", "{step}: there is nothing to change."),
        "step.infeasible": pgettext(
            "step.infeasible",
            "{step}: the plan cannot be carried out ({violations}); the step is skipped.",
        ),
        "step.skipped": pgettext("step.skipped", "{step}: not used, because the payment cut determines the term."),
        "step.not_met": pgettext(
            "step.not_met",
            "No step reaches the target {target}; the plan with the lowest debt burden ({dti_recent}) is "
            "recommended.",
        ),
        "R-GESV-CAP.within_baseline": pgettext(
            "R-GESV-CAP.within_baseline",
            "The annual effective rate (GESV), {gesv_pct}%, is above today's cap ({cap_pct}%), but not above that"
            " of the contract's remaining schedule ({baseline_gesv_pct}%): a restructuring that does not raise "
            "the cost of the contract is allowed.",
        ),
        "R-SHORT-LOAN-RATE.passed": pgettext(
            "R-SHORT-LOAN-RATE.passed",
            "A short loan ({loan_days} days): the rate of {rate_pct}% a year ({daily_rate_pct}% a day) is within "
            "the cap of {daily_cap_pct}% a day.",
        ),
        "R-SHORT-LOAN-RATE.failed": pgettext(
            "R-SHORT-LOAN-RATE.failed",
            "A short loan ({loan_days} days): the rate of {rate_pct}% a year ({daily_rate_pct}% a day) exceeds "
            "the cap of {daily_cap_pct}% a day.",
        ),
        "R-MILITARY-SERVICE.applies": pgettext(
            "R-MILITARY-SERVICE.applies",
            "The borrower is called up for military service until {service_until}: the law gives a deferral until"
            " {deferral_until} (the service plus {extra_days} days) with no interest accrued, {deferral_months} "
            "months of instalments. This is the only lawful plan and the application cannot be refused.",
        ),
        "R-MILITARY-SERVICE.plan_ok": pgettext(
            "R-MILITARY-SERVICE.plan_ok",
            "The plan is the deferral the law gives a conscript: until {deferral_until}, with no interest "
            "accrued.",
        ),
        "R-MILITARY-SERVICE.plan_not_lawful": pgettext(
            "R-MILITARY-SERVICE.plan_not_lawful",
            "A conscript is owed a deferral until {deferral_until} ({deferral_months} months) with no interest "
            "accrued; this plan is not that deferral.",
        ),
        "R-COLLECTION-AGENCY.applies": pgettext(
            "R-COLLECTION-AGENCY.applies",
            "A collection agency has held the debt since {since}: no interest or penalty of that period is "
            "rescheduled ({interest_excluded} KZT of interest and {penalties_excluded} KZT of penalties are left "
            "out).",
        ),
        "R-MANDATORY.granted_minimum": pgettext(
            "R-MANDATORY.granted_minimum",
            "You asked for a deferral of {requested_months} months. The law requires at least {min_months} "
            "months, so the deferral is granted for {min_months} months.",
        ),
        "R-NO-WORSE.failed_maturity_moved": pgettext(
            "R-NO-WORSE.failed_maturity_moved",
            "The last instalment moves from {contract_maturity_on} to {plan_maturity_on}, {maturity_moved_months}"
            " month(s) later (a schedule starting on a due date pays its first instalment a month later): a "
            "longer term needs the borrower's consent.",
        ),
    }


def _labels() -> dict[str, str]:
    return {
        "rate_raised": pgettext("rate_raised", "the rate is raised"),
        "fees": pgettext("fees", "fees are charged"),
        "longer_term_without_consent": pgettext(
            "longer_term_without_consent",
            "the term is extended without the borrower's consent",
        ),
        "method_change_without_consent": pgettext(
            "method_change_without_consent",
            "the repayment method is changed without the borrower's consent",
        ),
        "capitalised": pgettext("capitalised", "overdue interest or penalties are added to the interest-bearing debt"),
        "capitalised_mortgage": pgettext(
            "capitalised_mortgage",
            "overdue interest or penalties are capitalised on a mortgage loan",
        ),
        "interest_on_arrears": pgettext("interest_on_arrears", "interest is charged on overdue amounts"),
        "payment_cut": pgettext("payment_cut", "a payment cut of at least 50%"),
        "deferral": pgettext("deferral", "a deferral"),
        "request:payment_cut": pgettext("request:payment_cut", "a payment cut (at least 50%) is requested"),
        "request:deferral": pgettext("request:deferral", "a deferral is requested"),
        "income_drop": pgettext("income_drop", "income fell by more than 30%"),
        "targeted_social_assistance": pgettext("targeted_social_assistance", "targeted social assistance is assigned"),
        "emergency": pgettext("emergency", "affected by a state of emergency"),
        "vulnerable:wwii_veteran": pgettext("vulnerable:wwii_veteran", "WWII veteran"),
        "vulnerable:wwii_equated_veteran": pgettext(
            "vulnerable:wwii_equated_veteran",
            "veteran equated to WWII veterans",
        ),
        "vulnerable:combat_veteran": pgettext(
            "vulnerable:combat_veteran",
            "veteran of combat on the territory of other states",
        ),
        "vulnerable:disability_group_1_2": pgettext(
            "vulnerable:disability_group_1_2",
            "person with a group I or II disability",
        ),
        "vulnerable:family_with_disabled_child": pgettext(
            "vulnerable:family_with_disabled_child",
            "family having or raising a child with a disability",
        ),
        "vulnerable:severe_chronic_disease": pgettext(
            "vulnerable:severe_chronic_disease",
            "person with a severe chronic disease",
        ),
        "vulnerable:old_age_pensioner": pgettext("vulnerable:old_age_pensioner", "old-age pensioner"),
        "vulnerable:orphan_under_29": pgettext(
            "vulnerable:orphan_under_29",
            "orphan or child left without parental care, under 29",
        ),
        "vulnerable:kandas": pgettext("vulnerable:kandas", "kandas (ethnic Kazakh repatriate)"),
        "vulnerable:lost_home_in_emergency": pgettext(
            "vulnerable:lost_home_in_emergency",
            "person who lost their home in a disaster or emergency",
        ),
        "vulnerable:large_family": pgettext("vulnerable:large_family", "large family"),
        "vulnerable:family_of_deceased_in_duty": pgettext(
            "vulnerable:family_of_deceased_in_duty",
            "family of a person who died on duty",
        ),
        "vulnerable:single_parent_family": pgettext("vulnerable:single_parent_family", "single-parent family"),
        "vulnerable:widow_with_dependent_children": pgettext(
            "vulnerable:widow_with_dependent_children",
            "widow or widower with dependent children",
        ),
        "baseline": pgettext("baseline", "Current terms"),
        "mandatory": pgettext("mandatory", "Mandatory relief"),
        "forgive_penalties": pgettext("forgive_penalties", "Forgive penalties"),
        "extend_term": pgettext("extend_term", "Extend the term"),
        "cut_rate": pgettext("cut_rate", "Lower the rate"),
        "defer": pgettext("defer", "Defer principal"),
        "forgive_interest": pgettext("forgive_interest", "Forgive overdue interest"),
        "forgive_principal": pgettext("forgive_principal", "Forgive overdue principal"),
        "military_service": pgettext("military_service", "military service"),
    }


@cache
def _catalogue(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    with force_locale(lang):
        return _texts(), _labels()


def text_keys() -> tuple[str, ...]:
    """Every text key."""
    return tuple(_catalogue("en")[0])


def label(code: str, lang: str) -> str:
    """The words for a code (a problem, a ground, a vulnerable group, a step); the code itself if it has none."""
    return _catalogue(lang)[1].get(code, code)


def _show(value: Any, lang: str) -> str:
    if value is None:
        return _DASH
    if isinstance(value, tuple | list):
        return ", ".join(label(str(v), lang) for v in value) if value else _DASH
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, str):
        return label(value, lang)
    return str(value)


def render(key: str, lang: str, figures: Mapping[str, Any]) -> str:
    """The text ``key`` in ``lang`` filled from ``figures`` (plain JSON values); ``KeyError`` on an unknown key."""
    texts, _ = _catalogue(lang if lang in LANGUAGES else "en")
    values = {name: _show(value, lang) for name, value in figures.items()}
    return texts[key].format_map(_Missing(values))


class _Missing(dict[str, str]):
    def __missing__(self, name: str) -> str:
        raise KeyError(f"the text needs the figure {name!r}")


def localise(document: Any, lang: str) -> Any:
    """``document`` (a JSON-ready value) with every text filled in ``lang``: a rule's and a step's ``text``, a
    violation's ``message``, a recommendation's ``summary``. Documents stored before the keys existed keep their
    words."""
    if isinstance(document, list):
        return [localise(item, lang) for item in document]
    if not isinstance(document, dict):
        return document
    out = {key: localise(value, lang) for key, value in document.items()}
    key = document.get("text_key")
    if key is not None:
        words = render(key, lang, document.get("figures") or {})
        out["message" if "message" in document else "text"] = words
    if document.get("summary_key") is not None:
        out["summary"] = render(document["summary_key"], lang, document.get("summary_figures") or {})
    return out
