"""Amortisation engine: money, dates, schedules, plans, GESV and NPV. Pure: no web, no database, no clock."""
