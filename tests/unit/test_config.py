from datetime import date

import pytest

from api.clock import FixedClock, SystemClock, make_clock
from api.config import ConfigError, from_environment, validate


def test_environment_variables_are_read_with_the_restructure_prefix():
    env = {"RESTRUCTURE_DATABASE_URL": "postgresql+psycopg://h/db", "RESTRUCTURE_TODAY": "2026-01-15", "OTHER": "x"}
    assert from_environment(env) == {"DATABASE_URL": "postgresql+psycopg://h/db", "TODAY": "2026-01-15"}


def test_fixed_business_date_is_parsed():
    assert validate({"TODAY": "2026-01-15", "ENV": "development"}) == date(2026, 1, 15)


def test_fixed_business_date_is_refused_in_production():
    with pytest.raises(ConfigError, match="refused when RESTRUCTURE_ENV=production"):
        validate({"TODAY": "2026-01-15", "ENV": "production", "SECRET_KEY": "s"})


def test_malformed_business_date_is_refused():
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        validate({"TODAY": "15.01.2026", "ENV": "development"})


def test_production_needs_a_real_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        validate({"TODAY": None, "ENV": "production", "SECRET_KEY": "dev-only-not-secret"})


def test_clock_is_fixed_only_when_a_date_is_configured():
    assert isinstance(make_clock(None), SystemClock)
    clock = make_clock(date(2026, 3, 8))
    assert isinstance(clock, FixedClock)
    assert clock.today() == date(2026, 3, 8)
    assert clock.now().tzinfo is not None


def test_fixed_clock_timestamps_fall_on_the_fixed_almaty_date():
    from api.clock import ALMATY

    assert FixedClock(date(2026, 3, 8)).now().astimezone(ALMATY).date() == date(2026, 3, 8)


def test_the_lenders_name_comes_from_the_environment():
    assert from_environment({"RESTRUCTURE_LENDER_NAME": "ТОО «МФО «Пример»"}) == {"LENDER_NAME": "ТОО «МФО «Пример»"}
