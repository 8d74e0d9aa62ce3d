"""The date and time helpers of pages and emails (mab/i18n.py): no seconds, four-digit years,
one interval, the reader's language, the zone given."""
import re
from datetime import date, datetime, timezone

import pytest
from flask_babel import force_locale

from mab import i18n

START = datetime(2027, 1, 21, 5, 0, tzinfo=timezone.utc)        # 10:00 in Almaty
END = datetime(2027, 1, 21, 7, 0, tzinfo=timezone.utc)
NEXT_DAY = datetime(2027, 1, 22, 8, 30, tzinfo=timezone.utc)
TZ = "Asia/Almaty"


def plain(text: str) -> str:
    return text.replace("\u2009", " ").replace("\u202f", " ")


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


@pytest.mark.parametrize("locale, expected", [
    ("en", "Thursday, January 21, 2027, 10:00 AM – 12:00 PM"),
    ("ru", "четверг, 21 января 2027 г., 10:00—12:00"),
    ("kk", "2027 ж. 21 қаңтар, бейсенбі, 10:00–12:00"),
])
def test_one_day_interval_names_the_day_once(ctx, locale, expected):
    with force_locale(locale):
        assert plain(i18n.interval_filter(START, END, TZ)) == expected


def test_an_interval_over_two_days_gives_both_dates_with_their_times(ctx):
    with force_locale("en"):
        text = plain(i18n.interval_filter(START, NEXT_DAY, TZ, "medium"))
    assert text == "Jan 21, 2027, 10:00 AM – Jan 22, 2027, 1:30 PM"


def test_no_seconds_and_four_digit_years_even_when_short_is_asked(ctx):
    with force_locale("en"):
        values = [i18n.datetime_filter(START, "short", TZ), i18n.datetime_filter(START, tz=TZ),
                  i18n.in_timezone(START, TZ, "full"), i18n.time_filter(START, TZ),
                  i18n.date_filter(date(2027, 1, 21), "short")]
    for value in values:
        assert not re.search(r"\d:\d\d:\d\d", value) and not re.search(r"/\d\d\b", value)
    assert plain(values[0]) == "Jan 21, 2027, 10:00 AM"
    assert values[4] == "Jan 21, 2027"


def test_the_zone_decides_the_day_and_the_time(ctx):
    late = datetime(2027, 1, 21, 20, 0, tzinfo=timezone.utc)   # 1:00 on the 22nd in Almaty
    with force_locale("ru"):
        assert plain(i18n.date_filter(late, tz=TZ)) == "22 янв. 2027 г."
        assert i18n.time_filter(late, TZ) == "01:00"
        assert plain(i18n.date_filter(late, tz="UTC")) == "21 янв. 2027 г."
