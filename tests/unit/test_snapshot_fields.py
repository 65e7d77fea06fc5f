"""The loan snapshot is declared once (``schedules.terms.LoanSnapshot``); every other list of its fields — the ORM,
the schemas, ``LoanData``, the imports, the loaded columns and the batch arrays — either derives from it or is checked
against it here, so a new field that one of them forgets fails this test, naming the place."""

from __future__ import annotations

import dataclasses
import typing

import marshmallow

from api.schemas.loans import LoanCreateSchema, LoanSchema
from restructure.imports import LOAN_FIELDS
from restructure.loans import LoanData
from restructure.orm import Loan
from restructure.portfolio_loader import _ROW_COLUMNS, copy_query
from restructure.snapshots import SNAPSHOT_FIELDS
from schedules.batch import LoanArrays
from schedules.columns import FIELDS, NOT_LOADED, SNAPSHOT_COLUMNS
from schedules.terms import LoanSnapshot

SNAPSHOT = {f.name: f for f in dataclasses.fields(LoanSnapshot)}
RECORD_KEYS = {"borrower_id", "contract_number"}
"""What ``LoanData`` carries beyond the snapshot: whose loan it is and its contract."""


def _optional(cls: type, name: str) -> bool:
    hint = typing.get_type_hints(cls)[name]
    return type(None) in typing.get_args(hint)


def test_the_service_names_the_snapshot_fields_of_the_engine():
    assert SNAPSHOT_FIELDS == tuple(SNAPSHOT)


def test_loan_data_is_the_snapshot_with_its_borrower_and_contract():
    data = {f.name: f for f in dataclasses.fields(LoanData)}
    assert set(data) - RECORD_KEYS == set(SNAPSHOT), "LoanData (restructure/loans.py) differs from LoanSnapshot"
    for name, f in SNAPSHOT.items():
        assert _optional(LoanData, name) == _optional(LoanSnapshot, name), f"LoanData.{name}: optional differs"
        if data[name].default is not dataclasses.MISSING:  # a default only where the engine has the same one
            assert data[name].default == f.default, f"LoanData.{name}: default differs"
    assert set(LOAN_FIELDS) == set(data), "the imports' fields (restructure/imports.py)"


def test_the_table_stores_every_snapshot_field_with_its_optionality():
    columns = {c.name: c for c in Loan.__table__.columns}
    missing = set(SNAPSHOT) - set(columns)
    assert not missing, f"restructure/orm.py Loan lacks {sorted(missing)} (and a migration)"
    for name in SNAPSHOT:
        assert columns[name].nullable == _optional(LoanSnapshot, name), f"loans.{name}: nullable differs"


def test_the_schemas_take_and_give_every_field():
    create = LoanCreateSchema().fields
    assert set(create) == {f.name for f in dataclasses.fields(LoanData)}, "LoanCreateSchema (api/schemas/loans.py)"
    for name, f in SNAPSHOT.items():
        given = create[name].required or create[name].load_default is not marshmallow.missing
        if f.default is dataclasses.MISSING:
            assert given, f"LoanCreateSchema.{name}: neither required nor defaulted"
        assert create[name].allow_none == _optional(LoanSnapshot, name), f"LoanCreateSchema.{name}: allow_none"
    assert set(SNAPSHOT) | RECORD_KEYS <= set(LoanSchema().fields), "LoanSchema (api/schemas/loans.py)"


def test_every_snapshot_field_is_loaded_as_a_column_or_said_not_to_be():
    assert set(SNAPSHOT_COLUMNS) | NOT_LOADED == set(SNAPSHOT), "schedules/columns.py SNAPSHOT_COLUMNS"
    assert not set(SNAPSHOT_COLUMNS) & NOT_LOADED
    assert set(SNAPSHOT_COLUMNS.values()) <= set(FIELDS)
    # the row loader reads one value per column (the borrower's flags take three), the COPY one expression each
    assert len(_ROW_COLUMNS) == len(FIELDS) + 2
    assert copy_query([]).as_string(None).count("::int8") >= len(FIELDS)


def test_the_batch_arrays_are_columns_or_computed_from_them():
    computed = {"start_on", "lawful_overdue_interest", "lawful_penalties", "accrued", "penalty_excess"}
    arrays = {f.name for f in dataclasses.fields(LoanArrays)}
    assert arrays - computed <= set(FIELDS), "schedules/batch.py LoanArrays has a field no column gives"
