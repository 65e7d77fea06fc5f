"""The Kazakhstan individual identification number (ИИН): 12 digits, birth date, century digit, checksum.

Layout: ``YYMMDD`` birth date, then the century-and-sex digit (1/2 born 1800–1899, 3/4 1900–1999, 5/6 2000–2099),
four serial digits and a check digit. The check digit is Σ dᵢ·wᵢ mod 11 with weights 1..11; when that is 10 it is
recomputed with weights 3..11,1,2; a second 10 means no such IIN is ever issued.
"""

from __future__ import annotations

from datetime import date

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits, or ``None`` when the number can never be valid."""
    digits = [int(c) for c in first_eleven]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def birth_date(iin: str) -> date | None:
    """The birth date encoded in an IIN, or ``None`` when the date or the century digit is impossible."""
    century = _CENTURY.get(iin[6])
    if century is None:
        return None
    try:
        return date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def iin_problems(iin: str, *, today: date) -> list[str]:
    """Everything wrong with ``iin`` in plain words; an empty list means it is valid."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        return ["IIN must be exactly 12 digits."]
    problems = []
    born = birth_date(iin)
    if born is None:
        problems.append("IIN does not encode a real birth date with a century digit 1-6.")
    elif born > today:
        problems.append("IIN encodes a birth date in the future.")
    elif today.year - born.year > 125:
        problems.append("IIN encodes a birth date more than 125 years ago.")
    expected = check_digit(iin[:11])
    if expected is None or expected != int(iin[11]):
        problems.append("IIN check digit does not match (Kazakhstan IIN checksum).")
    return problems


def mask(iin: str) -> str:
    """An IIN safe for logs and screens: only the last four digits."""
    return "********" + iin[-4:]


def make_iin(born: date, *, female: bool, serial: int) -> str:
    """A valid IIN for a birth date, sex and serial; the serial is advanced past numbers that can never be valid."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (1 if female else 0)
    while True:
        first_eleven = f"{born:%y%m%d}{century_digit}{serial:04d}"
        digit = check_digit(first_eleven)
        if digit is not None:
            return first_eleven + str(digit)
        serial += 1
