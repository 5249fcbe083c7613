"""Typed values parsed from quotes, and the rules for comparing them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.consensus.values import parse_values, values_compatible
from summarizer.models import Value


def numbers(text: str) -> list[Value]:
    return [v for v in parse_values(text) if v.kind == "number"]


def one_number(text: str) -> Value:
    found = numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier", "unit"),
    [
        ("2,400 homes lost power", 2400, 2400, "exact", "home"),
        ("about 2,400 houses", 2400, 2400, "approx", "home"),
        ("up to 110 km/h", None, 110, "up_to", "km/h"),
        ("at least a dozen boats", 12, None, "at_least", "boat"),
        ("more than 11,000 North Korean soldiers", 11000, None, "more_than", "troop"),
        ("between 30 and 40 repair crews", 30, 40, "range", "crew"),
        ("25,000 to 30,000 additional troops", 25000, 30000, "range", "troop (additional)"),
        ("2,000-3,000 people", 2000, 3000, "range", "person"),
        ("$4.2 million in damage", 4_200_000, 4_200_000, "exact", "USD"),
        ("a 12% cut", 12, 12, "exact", "%"),
        ("20 percent of staff", 20, 20, "exact", "%"),
        ("three people were hurt", 3, 3, "exact", "person (casualties)"),
    ],
)
def test_numbers_with_qualifier_and_unit(
    text: str, low: float | None, high: float | None, qualifier: str, unit: str
) -> None:
    v = one_number(text)
    assert (v.low, v.high, v.qualifier, v.unit) == (low, high, qualifier, unit)


def test_year_is_a_date_not_a_number() -> None:
    values = parse_values("The pact was signed in 2024.")
    assert [(v.kind, v.date) for v in values] == [("date", "year:2024")]


def test_figure_with_thousands_comma_is_never_a_year() -> None:
    assert one_number("2,025 homes").low == 2025


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("reopens on Monday", "weekday:monday"),
        ("on March 15", "month:03-15"),
        ("on 4 July 2025", "2025-07-04"),
        ("in July 2025", "2025-07"),
        ("by 2025-07-04", "2025-07-04"),
        ("next week", "relative:next-week"),
    ],
)
def test_dates_get_normalised_keys(text: str, key: str) -> None:
    assert [v.date for v in parse_values(text) if v.kind == "date"] == [key]


def test_may_the_verb_is_not_a_month() -> None:
    assert not [v for v in parse_values("It may rain.") if v.kind == "date"]


def test_names_are_runs_of_capitalised_words() -> None:
    names = [v.text for v in parse_values("Mayor Dana Whitlock met Kim Jong Un on Friday.") if v.kind == "name"]
    assert names == ["Mayor Dana Whitlock", "Kim Jong Un"]


def test_range_contains_a_point_inside_it() -> None:
    assert values_compatible(one_number("between 30 and 40 crews"), one_number("35 crews")) is True


def test_approximate_figure_allows_five_percent() -> None:
    assert values_compatible(one_number("around 4,000 workers"), one_number("4,100 workers")) is True


def test_approximate_figure_far_from_another_conflicts() -> None:
    assert values_compatible(one_number("around 2,400 homes"), one_number("2,900 homes")) is False


def test_different_exact_figures_conflict() -> None:
    assert values_compatible(one_number("2,400 homes"), one_number("2,900 homes")) is False


def test_figures_of_different_units_are_not_comparable() -> None:
    assert values_compatible(one_number("2,900 homes"), one_number("35 crews")) is None


def test_up_to_admits_a_smaller_figure() -> None:
    assert values_compatible(one_number("up to 50 people"), one_number("40 people")) is True


def test_different_weekdays_conflict() -> None:
    friday, monday = parse_values("Friday")[0], parse_values("Monday")[0]
    assert values_compatible(friday, monday) is False


def test_year_and_full_date_of_that_year_agree() -> None:
    year = parse_values("in 2025")[0]
    day = parse_values("on 4 July 2025")[0]
    assert values_compatible(year, day) is True


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_fails_and_offsets_hold(text: str) -> None:
    for v in parse_values(text):
        assert text[v.start : v.end] == v.text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "about",
                "up to",
                "2,400",
                "between",
                "and",
                "to",
                "$",
                "4.5",
                "million",
                "%",
                "homes",
                "Friday",
                "March",
                "15",
                "2025",
                "Dana",
                "Whitlock",
                "-",
                "k",
            ]
        ),
        max_size=12,
    )
)
def test_parser_survives_number_like_word_soup(words: list[str]) -> None:
    text = " ".join(words)
    for v in parse_values(text):
        assert text[v.start : v.end] == v.text
        if v.low is not None and v.high is not None:
            assert v.low <= v.high


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Reports say 4,700 soldiers have been killed or wounded so far.", "troop (casualties)"),
        ("The storm killed 12 people overnight.", "person (casualties)"),
        ("The deployment of 11,000 soldiers, many of whom were killed, began in May.", "troop"),
        ("Officials plan to send 25,000 more soldiers.", "troop (additional)"),
        ("Another 3,000 troops arrived on Monday.", "troop (additional)"),
        ("Averly Power & Light said 2,400 homes were without power.", "home"),
    ],
)
def test_a_count_says_what_it_measures(text: str, unit: str) -> None:
    assert [v.unit for v in parse_values(text) if v.kind == "number"] == [unit]


def test_a_figure_joined_to_an_er_noun_names_a_kind_of_thing_not_a_count() -> None:
    values = parse_values("Ortega sank a 3-pointer, then made 2 of 5 3-pointers after the break.")
    assert [(v.text, v.noun) for v in values if v.kind == "number"] == [("2", None), ("5", "pointer")]


def test_a_hyphenated_unit_ending_in_er_is_still_a_measurement() -> None:
    (wall,) = parse_values("Crews finished the 10-meter wall along the quay.")
    assert wall.measured_in == "meter" and wall.low == 10


def test_no_one_hurt_is_a_count_of_zero_not_one() -> None:
    (v,) = numbers("No one was hurt when the crane toppled.")
    assert (v.low, v.high) == (0.0, 0.0)


def test_an_ordinal_is_not_a_count() -> None:
    assert numbers("She took her 12th straight title in the final.") == []


def test_a_percent_and_a_price_joined_by_to_are_two_figures_not_a_range() -> None:
    pct, price = numbers("Shares jumped 6 percent to $41 in early trading.")
    assert (pct.noun, pct.low, price.noun, price.low) == ("%", 6.0, "USD", 41.0)


def test_a_fahrenheit_reading_is_compared_in_celsius() -> None:
    hot = one_number("The thermometer showed 104 degrees Fahrenheit at noon.")
    celsius = one_number("The thermometer showed 40 degrees Celsius at noon.")
    assert hot.noun == celsius.noun == "°C" and values_compatible(hot, celsius) is True


def test_a_year_before_an_event_noun_is_a_date_not_a_count() -> None:
    assert numbers("The 2011 floods swept away the old bridge.") == []
    assert [v.text for v in parse_values("The 2011 floods swept away the old bridge.") if v.kind == "date"] == ["2011"]


def test_a_figure_with_a_comparative_is_a_difference() -> None:
    assert one_number("The new model is $80 cheaper than the old one.").aspect == "change"


def test_a_margin_after_by_is_a_difference() -> None:
    assert one_number("The home side won by 14 points.").aspect == "change"


def test_a_forecast_figure_is_an_expectation() -> None:
    assert one_number("Analysts had forecast profit of $2.3 billion.").aspect == "expected"


def test_a_change_from_one_level_to_another_gives_the_old_and_the_new_level() -> None:
    old, new = numbers("Turnout rose from 54% to 61% in the second round.")
    assert (old.aspect, old.low, new.aspect, new.low) == ("previous", 54.0, None, 61.0)


def test_figures_listed_together_are_marked_as_a_list() -> None:
    a, b = [v for v in numbers("The two tablets cost $329 and $449.") if v.noun == "USD"]
    assert a.aspect == b.aspect == "listed"


def test_a_rounded_floor_fits_any_larger_figure() -> None:
    floor = one_number("more than 1,000 jobs")
    assert values_compatible(floor, one_number("4,500 jobs")) is True


def test_an_at_least_tally_does_not_fit_a_far_larger_one() -> None:
    assert values_compatible(one_number("at least 5 people died"), one_number("24 people died")) is False


def test_one_hundred_and_forty_in_words_is_140() -> None:
    assert one_number("One hundred and forty pupils were sent home.").low == 140.0


def test_hours_and_minutes_are_one_duration() -> None:
    v = one_number("The rescue took 3 hours and 20 minutes.")
    assert (v.noun, v.low) == ("s", 12000.0)


def test_an_age_said_in_words_is_an_age() -> None:
    assert one_number("The mayor is 58 years old.").noun == "year-old"  # read as "a 58-year-old" is


def test_a_duration_after_for_stays_a_duration_before_a_time_word() -> None:
    assert one_number("She ran the charity for 12 years before retiring.").noun == "s"


def test_topped_makes_a_floor() -> None:
    assert one_number("Ticket sales topped 2 million.").qualifier == "more_than"


def test_a_time_a_year_earlier_is_no_rate() -> None:
    (pct,) = [v for v in numbers("Exports were up 7% from a year earlier.") if v.noun == "%"]
    assert pct.per is None


def test_a_data_size_is_a_measurement() -> None:
    v = one_number("The phone comes with 256GB of storage.")
    assert (v.noun, v.measured_in) == ("byte", "gb")


def test_an_increment_is_never_compared_with_a_total() -> None:
    assert values_compatible(one_number("four more aftershocks"), one_number("six aftershocks")) is None


def test_a_measurement_of_one_of_many_things_is_not_read() -> None:
    assert numbers("She scored from a 25-metre free kick in the second half.") == []


def test_a_position_on_a_scale_is_not_a_length() -> None:
    assert numbers("The ball was spotted at the 35-yard line.") == []
