from __future__ import annotations

import pytest

from bot.store.periods import PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "label"),
    [
        ("2023", PeriodKind.YEAR, "2023"),
        ("2023-H1", PeriodKind.PARTIAL, "H1 2023"),
        ("2023-Q3", PeriodKind.PARTIAL, "Q3 2023"),
        ("2023-11", PeriodKind.PARTIAL, "November 2023"),
        ("2024-01/2024-04", PeriodKind.PARTIAL, "January to April 2024"),
        ("2023-01/2023-11", PeriodKind.PARTIAL, "January to November 2023"),
        ("2012/2023", PeriodKind.SPAN, "2012 to 2023"),
        ("2015/2023-11", PeriodKind.SPAN, "2015 to November 2023"),
        ("as of 2025-03", PeriodKind.AS_OF, "as of March 2025"),
        ("as of 2024", PeriodKind.AS_OF, "as of 2024"),
    ],
)
def test_canonical_periods_parse_and_read_naturally(text: str, kind: PeriodKind, label: str) -> None:
    period = parse_period(text)
    assert period.kind is kind
    assert period.label() == label


def test_month_ranges_know_how_many_months_they_cover() -> None:
    period = parse_period("2023-01/2023-11")
    assert period.months == 11
    assert period.coverage_note() == "covers January to November 2023 only"
    assert parse_period("2023").coverage_note() == ""


@pytest.mark.parametrize(
    "bad", ["23", "2023-13", "2023-H3", "2024/2023", "2023-01/2023-12", "last year", "2023-05/2023-02"]
)
def test_malformed_periods_are_rejected_with_the_grammar(bad: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(bad)
