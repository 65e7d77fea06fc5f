"""The columnar loader (issue #17): the what-if over the stored book equals the row path of before, block by block.

Runs on SQLite (rows by blocks) and, with TEST_DATABASE_URL, on PostgreSQL (binary COPY).
"""

from __future__ import annotations

from datetime import date

import pytest

from restructure import portfolio, portfolio_loader
from restructure.snapshots import incomes_mapping, plan_params
from tests.conftest import TODAY, incomes, loan_payload

START = date(2026, 12, 10)

# Stored loans that exercise each column: methods, day counts, payment days, security, collateral, penalties over
# the cap, overdue without a start date, a collection agency before and after as_of, accrued interest.
VARIANTS = [
    {},
    {"method": "differentiated", "scheduled_payment": "40000.00", "day_count": "actual/365"},
    {"method": "principal_first", "payment_day": 31, "penalties": "90000.00"},
    {"secured_by": "mortgage", "collateral_value": "900000.00", "penalties": "60000.00",
     "overdue_since": "2026-03-01", "issued_on": "2024-11-10"},
    {"secured_by": "pledge", "collateral_value": "700000.00", "penalties": "70000.00", "overdue_since": "2026-02-01",
     "issued_on": "2025-06-30"},
    {"with_collection_agency_since": "2026-11-01", "accrued_interest": "3100.55"},
    {"with_collection_agency_since": "2026-09-01", "day_count": "actual/365", "payment_day": 29},
    {"overdue_since": None, "penalties": "5000.00"},
    {"overdue_principal": "0.00", "overdue_interest": "0.00", "penalties": "0.00", "overdue_since": None},
    {"annual_rate_pct": "9.4822", "accrued_interest": "12.34"},
    {"remaining_term_months": 3, "outstanding_principal": "100000.00", "scheduled_payment": "34000.00"},
]


@pytest.fixture
def book(make_loan, make_borrower):
    """Every variant for three borrowers with different flags: ``[loan ids]``."""
    ids = []
    owners = [
        make_borrower()["id"],
        make_borrower(vulnerable_categories=["large_family"], targeted_social_assistance=True)["id"],
        make_borrower(emergency_affected=True, other_monthly_debt_payments="0.00")["id"],
    ]
    for owner in owners:
        for variant in VARIANTS:
            payload = loan_payload(owner, **variant)
            ids.append(make_loan(owner, **{k: v for k, v in payload.items() if k != "borrower_id"})["id"])
    return ids


PLANS = [{}, {"payment_cut_pct": "50"}, {"extra_months": 6}, {"deferral_months": 3, "deferral_of": "principal"},
         {"new_rate_pct": "20.00", "forgive": {"penalties": "all"}}]


@pytest.mark.parametrize("block", [4, 8192])
@pytest.mark.parametrize("plan", PLANS)
def test_columns_equal_rows_to_the_tiyn(uow, book, monkeypatch, plan, block):
    monkeypatch.setattr(portfolio_loader, "BLOCK", block)
    with_incomes = {book[0]: incomes_mapping(incomes()), book[13]: incomes_mapping(incomes("90000.00", "40000.00")),
                    book[30]: incomes_mapping(incomes("900000.00"))}
    request = portfolio.WhatIfRequest(start_on=START, plan=plan_params(plan), incomes_by_loan=with_incomes,
                                      limit=7, cursor=book[2])
    seen: list[int] = []
    columns = portfolio.what_if(uow(), request, today=TODAY, progress=seen.append)
    rows = portfolio.what_if(uow(), request, today=TODAY, loader="rows")
    assert columns == rows
    assert columns.aggregate.loans == len(book) == 33
    assert columns.aggregate.with_incomes == 3
    assert columns.aggregate.feasible > 0
    assert [i.loan_id for i in columns.items] == book[3:10]
    assert all(i.contract_number for i in columns.items)
    assert seen[-1] == 33 and len(seen) == (-(-33 // block))  # one report a block


def test_the_penalty_cap_and_the_agency_reach_the_figures(uow, book):
    """Not a trivial equality: the loans whose penalties exceed the cap, or sit with an agency, differ from their
    twins in the total paid (the excess and the agency's interest are not rescheduled)."""
    request = portfolio.WhatIfRequest(start_on=START, plan=plan_params({}), limit=11)
    got = {i.loan_id: i for i in portfolio.what_if(uow(), request, today=TODAY).items}
    base, over_cap, agency = got[book[0]], got[book[3]], got[book[5]]
    assert over_cap.total_paid is not None and base.total_paid is not None and agency.total_paid is not None
    assert over_cap.total_paid != base.total_paid
    assert agency.total_paid != base.total_paid


def test_a_book_without_loans(uow):
    request = portfolio.WhatIfRequest(start_on=START, plan=plan_params({}))
    got = portfolio.what_if(uow(), request, today=TODAY)
    assert got.aggregate.loans == 0 and got.items == () and got.next_cursor is None


def test_binary_copy_gives_the_columns_the_rows_give(uow, book):
    """PostgreSQL only: the COPY stream parsed by blocks equals the generic row loader value for value."""
    with uow() as u:
        if u.session.get_bind().dialect.name != "postgresql":
            pytest.skip("binary COPY is PostgreSQL's")
        copied = list(portfolio_loader.copy_blocks(u.session, block=5))
        rowed = list(portfolio_loader.row_blocks(u.session, block=5))
        assert [b.size for b in copied] == [5] * 6 + [3]
        assert list(portfolio_loader.column_blocks(u.session, block=5))[0].size == 5
        for c, r in zip(copied, rowed, strict=True):
            for name in portfolio_loader.FIELDS:
                if name == "flags":  # codes differ between the loaders: compare the flags they stand for
                    assert [c.flag_values[i] for i in c[name]] == [r.flag_values[i] for i in r[name]]
                else:
                    assert c[name].tolist() == r[name].tolist(), name
