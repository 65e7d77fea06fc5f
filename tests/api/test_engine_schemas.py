"""The plan's wire schemas take their fields from the engine's result dataclasses (declared once, in
``schedules.result``): a field added there appears in the API with the right type, nullability and presence."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from marshmallow import fields

from api.schemas import PlanMetricsSchema, ScheduleLineSchema, TotalsSchema
from api.schemas.fields import engine_fields
from schedules.result import Metrics, ScheduleLine, Totals


@pytest.mark.parametrize(
    ("schema", "result"), [(ScheduleLineSchema, ScheduleLine), (TotalsSchema, Totals), (PlanMetricsSchema, Metrics)]
)
def test_each_plan_schema_has_exactly_the_fields_of_its_engine_result(schema, result):
    assert set(schema().fields) == {f.name for f in dataclasses.fields(result)}


def test_a_schedule_line_dumps_as_exact_strings_with_an_iso_date():
    line = ScheduleLine(3, date(2027, 1, 15), Decimal("7050.00"), Decimal("6000.00"), Decimal("1050.00"),
                        Decimal("0.00"), Decimal("84000.00"))
    assert ScheduleLineSchema().dump(line) == {
        "n": 3, "due_on": "2027-01-15", "payment": "7050.00", "principal": "6000.00", "interest": "1050.00",
        "arrears": "0.00", "balance": "84000.00",
    }


@dataclass(frozen=True)
class _NewResult:
    count: int
    amount: Decimal
    paid_on: date | None
    share: Decimal | None = None
    waived: Decimal = Decimal("0.00")


def test_a_new_engine_field_gets_its_type_nullability_and_presence():
    out = engine_fields(_NewResult, waived={"description": "what was waived"})
    assert isinstance(out["count"], fields.Integer) and out["count"].required
    assert isinstance(out["amount"], fields.String) and out["amount"].required and not out["amount"].allow_none
    assert out["paid_on"].allow_none and not out["paid_on"].required
    assert out["paid_on"].metadata == {"format": "date"}
    assert out["share"].allow_none and not out["share"].required
    assert not out["waived"].required and not out["waived"].allow_none
    assert out["waived"].metadata == {"description": "what was waived"}


def test_a_field_of_a_type_with_no_wire_form_is_refused():
    @dataclass(frozen=True)
    class Odd:
        names: tuple[str, ...]

    with pytest.raises(TypeError, match="Odd.names"):
        engine_fields(Odd)


def test_the_wire_order_must_name_every_field():
    assert list(engine_fields(_NewResult, order=("waived", "share", "paid_on", "amount", "count"))) == [
        "waived", "share", "paid_on", "amount", "count",
    ]
    with pytest.raises(ValueError, match="every field of _NewResult"):
        engine_fields(_NewResult, order=("count", "amount"))
