from datetime import date

import pytest

from restructure.iin import birth_date, check_digit, iin_problems, make_iin, mask

TODAY = date(2026, 11, 25)


def test_check_digit_uses_first_weights_when_remainder_is_below_ten():
    # 900412 3 0001 -> 9·1+0·2+0·3+4·4+1·5+2·6+3·7+0·8+0·9+0·10+1·11 = 74; 74 mod 11 = 8
    assert check_digit("90041230001") == 8
    assert iin_problems("900412300018", today=TODAY) == []


def test_check_digit_falls_back_to_second_weights_when_first_gives_ten():
    # find an 11-digit stem whose first-weight remainder is 10 and check the second weights by hand
    stem = next(
        f"900412300{n:02d}" for n in range(100)
        if sum(int(c) * w for c, w in zip(f"900412300{n:02d}", range(1, 12), strict=True)) % 11 == 10
    )
    second = sum(int(c) * w for c, w in zip(stem, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
    assert check_digit(stem) == (None if second == 10 else second)


def test_wrong_check_digit_is_reported():
    assert iin_problems("900412300017", today=TODAY) == ["IIN check digit does not match (Kazakhstan IIN checksum)."]


@pytest.mark.parametrize(
    ("iin", "message"),
    [
        ("90041230001", "IIN must be exactly 12 digits."),
        ("9004123000188", "IIN must be exactly 12 digits."),
        ("90041230001a", "IIN must be exactly 12 digits."),
        ("９００４１２３０００１８", "IIN must be exactly 12 digits."),
    ],
)
def test_iin_must_be_twelve_ascii_digits(iin, message):
    assert iin_problems(iin, today=TODAY) == [message]


def test_impossible_birth_date_is_rejected():
    iin = make_iin(date(1990, 2, 28), female=False, serial=5)
    bad = "900231" + iin[6:]  # 31 February
    assert "IIN does not encode a real birth date with a century digit 1-6." in iin_problems(bad, today=TODAY)


def test_century_digit_zero_is_rejected():
    assert birth_date("900412000018") is None


def test_birth_date_in_the_future_is_rejected():
    iin = make_iin(date(2027, 1, 5), female=True, serial=1)
    assert iin_problems(iin, today=TODAY) == ["IIN encodes a birth date in the future."]


def test_century_digit_selects_the_century():
    assert birth_date(make_iin(date(1958, 7, 2), female=False, serial=1)) == date(1958, 7, 2)
    assert birth_date(make_iin(date(2004, 7, 2), female=True, serial=1)) == date(2004, 7, 2)


def test_mask_keeps_only_the_last_four_digits():
    assert mask("900412300018") == "********0018"
