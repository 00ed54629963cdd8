"""Writing dates, amounts and numbers in words the way Vietnamese administrative documents do."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def ascii_fold(text: str) -> str:
    """ "Tờ trình Đợt 1" → "To trinh Dot 1": Đ/đ have no decomposition, so NFKD alone would drop them."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def day_text(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2024": Decree 30/2020 writes a 0 before days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: datetime.date) -> str:
    return f"{place}, {day_text(day)}"


def short_date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def money(amount: Decimal | int) -> str:
    """1620000 → "1.620.000" (Vietnamese groups thousands with dots)."""
    return f"{int(amount):,}".replace(",", ".")


def multiple_text(value: Decimal) -> str:
    """Decimal("1.50") → "1,5"."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def percent(value: Decimal) -> str:
    """Decimal("88.9") → "88,9%" (a decimal comma, one decimal place, as the minutes print shares)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def decimal_text(value: Decimal | float | int) -> str:
    """Decimal("88.9") → "88,9": a decimal comma whatever the language of the request that made the document."""
    text = format(Decimal(str(value)), "f")
    return text.replace(".", ",")


def percent_text(value: Decimal | float | int) -> str:
    """Decimal("88.9") → "88,9%"."""
    return f"{decimal_text(value)}%"


def _three(number: int, *, full: bool) -> list[str]:
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (full or hundreds):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_in_words(number: int) -> str:
    """1620000 → "một triệu sáu trăm hai mươi nghìn"."""
    if number < 0:
        return "âm " + number_in_words(-number)
    if number == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    if len(groups) > len(_GROUPS):
        raise ValueError("number too large to read")
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        if groups[index]:
            words += _three(groups[index], full=index != top)
            if _GROUPS[index]:
                words.append(_GROUPS[index])
    return " ".join(words)


def amount_in_words(amount: Decimal | int) -> str:
    """ "Một triệu sáu trăm hai mươi nghìn đồng"."""
    text = number_in_words(int(amount)) + " đồng"
    return text[0].upper() + text[1:]
