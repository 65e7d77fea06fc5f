"""Column types that keep money exact and timestamps aware on both PostgreSQL and SQLite.

PostgreSQL stores ``NUMERIC(p, s)``. SQLite has no exact decimal, so the same column is a scaled ``BIGINT``
(tiyn for money, 1/10000 for rates): exact, sortable and summable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal with a fixed number of places, never a float."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2) -> None:
        super().__init__(precision, scale)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = Decimal(value)
        quantized = exact.quantize(self._quantum)
        if quantized != exact:
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        if dialect.name == "sqlite":
            return int(quantized.scaleb(self.scale))
        return quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)


def Money() -> ExactDecimal:  # noqa: N802 - reads as a column type
    """Tenge with two places: ``NUMERIC(14, 2)``."""
    return ExactDecimal(14, 2)


def Rate() -> ExactDecimal:  # noqa: N802 - reads as a column type
    """A nominal annual percentage with four places: ``NUMERIC(9, 4)``."""
    return ExactDecimal(9, 4)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp; SQLite drops the zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp: datetime = value
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def Document() -> TypeEngine[Any]:  # noqa: N802 - reads as a column type
    """JSON, stored as JSONB on PostgreSQL."""
    return JSON().with_variant(JSONB(), "postgresql")
