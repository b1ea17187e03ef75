"""Phone numbers as the data writes them become tap-to-call and tap-to-text links, or a named error."""

from __future__ import annotations

import pytest

from directory.errors import InvalidPhoneNumber
from directory.phones import sms_link, tel_link


@pytest.mark.parametrize(
    ("number", "link"),
    [
        ("01632 960123", "tel:+441632960123"),
        ("+44 (0)1632 960123", "tel:+441632960123"),
        ("0044 1632 960 123", "tel:+441632960123"),
        ("07700-900123", "tel:+447700900123"),
        ("0800 689 5600", "tel:+448006895600"),
        ("116 123", "tel:116123"),
        ("111", "tel:111"),
    ],
)
def test_tel_link_dials_the_number_as_written(number: str, link: str) -> None:
    assert tel_link(number) == link


def test_sms_link_texts_the_number_with_an_optional_message() -> None:
    assert sms_link("07700 900123") == "sms:+447700900123"
    assert sms_link("85258", "SHOUT") == "sms:85258?body=SHOUT"
    assert sms_link("85258", "hello there") == "sms:85258?body=hello%20there"


def test_phone_links_refuse_something_that_is_not_a_number() -> None:
    with pytest.raises(InvalidPhoneNumber):
        tel_link("ask at reception")
