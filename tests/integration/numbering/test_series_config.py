"""Changing a series: every set-up that could repeat a number is refused, every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Series, SeriesCounter
from faktura.apps.invoicing.services import (
    document_delete,
    series_create,
    series_preview_next,
    series_update,
)
from faktura.apps.invoicing.services.lifecycle import NotLatestNumber
from faktura.apps.invoicing.services.series import SeriesCollision
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from tests import factories as make
from tests.integration.numbering.helpers import issue, local, today

pytestmark = pytest.mark.django_db

Y = today().year


def update(org, series, **changes):
    return series_update(actor=make.TEST_ACTOR, organization=org, series_id=series.pk, **changes)


def issue_numbers(org, count, at=None):
    return [issue(org, make.draft(org), at=at).number for _ in range(count)]


# -- patterns ---------------------------------------------------------------------------------------


def test_a_new_pattern_continues_the_count_of_the_period() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 2)

    update(org, series, pattern="FA-{RRRR}-{CCC}")

    assert issue_numbers(org, 1) == [f"FA-{Y}-003"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("FA{RRRR}{CCC}", "FA{RRRR}{CCCC}", id="wider padding"),
        pytest.param("FA{RRRR}{CCCC}", "FA{RRRR}{CC}", id="narrower padding"),
        pytest.param("FA{RRRR}{CCC}", "fa{RRRR}{CCC}", id="letters in another case"),
    ],
)
def test_a_pattern_that_reads_numbers_the_same_way_may_overlap_the_earlier_one(first: str, second: str) -> None:
    org = make.seller()
    series = make.series(org, first)
    issue_numbers(org, 2)

    update(org, series, pattern=second)

    assert issue_numbers(org, 1)[0].upper().endswith("3")


def test_going_back_to_an_earlier_pattern_keeps_counting() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 1)
    update(org, series, pattern="FA-{RRRR}-{CCC}")
    issue_numbers(org, 1)

    update(org, series, pattern="FA{RRRR}{CCC}")

    assert issue_numbers(org, 1) == [f"FA{Y}003"]


def test_a_pattern_that_reads_an_earlier_patterns_numbers_differently_is_refused() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    update(org, series, pattern="FB-{RRRR}-{CCC}")  # no overlap with the first

    with pytest.raises(SeriesCollision) as error:
        update(org, series, pattern="FA{RR}{CCCC}")  # overlaps the first, read differently

    assert error.value.field == "pattern"
    assert "FA{RRRR}{CCC}" in error.value.message
    assert "earlier pattern" in error.value.message
    assert Series.objects.get(pk=series.pk).pattern == "FB-{RRRR}-{CCC}"


def test_a_pattern_another_series_can_produce_is_refused() -> None:
    org = make.seller()
    make.series(org, "FA{RRRR}{CCC}")
    proformas = make.series(org, "PF{RRRR}{CCC}", document_type="proforma")

    with pytest.raises(SeriesCollision, match=r"FA\{RRRR\}\{CCC\}") as error:
        update(org, proformas, pattern="FA{RR}{CCCC}")

    assert "could produce the number" in error.value.message


def test_a_pattern_another_series_had_before_is_refused_even_when_it_is_deactivated() -> None:
    org = make.seller()
    invoices = make.series(org, "FA{RRRR}{CCC}")
    update(org, invoices, pattern="FX{RRRR}{CCC}", is_active=False)
    proformas = make.series(org, "PF{RRRR}{CCC}", document_type="proforma")

    with pytest.raises(SeriesCollision) as error:
        update(org, proformas, pattern="FA{RRRR}{CCC}")

    assert "which it had before FX{RRRR}{CCC}" in error.value.message


def test_a_new_series_is_checked_against_the_patterns_others_had_before() -> None:
    org = make.seller()
    invoices = make.series(org, "FA{RRRR}{CCC}")
    update(org, invoices, pattern="FX{RRRR}{CCC}")

    with pytest.raises(SeriesCollision):
        make.series(org, "FA{RRRR}{CCC}", document_type="proforma")


def test_another_sellers_patterns_do_not_count() -> None:
    org, other = make.seller(), make.seller()
    make.series(other, "FA{RRRR}{CCC}")
    series = make.series(org, "FB{RRRR}{CCC}")

    assert update(org, series, pattern="FA{RRRR}{CCC}").pattern == "FA{RRRR}{CCC}"


def test_a_pattern_must_show_the_period_its_counter_restarts_in() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")

    with pytest.raises(InvalidValue, match="has no year") as error:
        update(org, series, pattern="FA{CCC}")

    assert error.value.field == "pattern"


# -- start numbers ----------------------------------------------------------------------------------


def test_a_start_number_at_or_below_the_last_number_used_is_refused_naming_it() -> None:
    org = make.seller()
    series = make.series(org)
    issue_numbers(org, 5, at=local(Y - 1, 12, 1))  # another period: does not count
    issue_numbers(org, 3)

    for start in (2, 3):
        with pytest.raises(InvalidValue) as error:
            update(org, series, start_number=start)
        assert error.value.field == "start_number"
        assert f"FA{Y}003 is the last number used in {Y}" in error.value.message
        assert "above 3" in error.value.message


def test_a_start_number_above_the_last_number_used_is_where_the_count_goes_on() -> None:
    org = make.seller()
    series = make.series(org)
    issue_numbers(org, 3)

    update(org, series, start_number=158)

    assert issue_numbers(org, 2) == [f"FA{Y}158", f"FA{Y}159"]
    assert issue_numbers(org, 1, at=local(Y + 1, 1, 2)) == [f"FA{Y + 1}001"]


def test_a_start_number_on_a_fresh_series_applies_in_this_period_only() -> None:
    org = make.seller()
    series = make.series(org)

    update(org, series, start_number=158)

    assert series_preview_next(organization=org, series_id=series.pk) == f"FA{Y}158"
    assert series_preview_next(organization=org, series_id=series.pk, on=dt.date(Y + 1, 1, 1)) == f"FA{Y + 1}001"


def test_sending_the_same_start_number_again_changes_nothing() -> None:
    org = make.seller()
    series = make.series(org)
    issue_numbers(org, 3)

    update(org, series, start_number=1)  # a settings form sends every field

    assert issue_numbers(org, 1) == [f"FA{Y}004"]


def test_a_start_number_must_be_positive() -> None:
    org = make.seller()
    series = make.series(org)
    with pytest.raises(InvalidValue) as error:
        update(org, series, start_number=0)
    assert error.value.field == "start_number"


def test_after_a_jump_the_numbers_below_it_cannot_be_deleted_as_the_latest() -> None:
    org = make.seller()
    series = make.series(org)
    (before,) = [issue(org, make.draft(org))]
    update(org, series, start_number=10)

    with pytest.raises(NotLatestNumber):
        document_delete(actor=make.TEST_ACTOR, organization=org, document_id=before.pk)


# -- reset policies ---------------------------------------------------------------------------------


def test_yearly_to_never_keeps_counting_and_never_restarts() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 2)

    update(org, series, reset_policy="never")

    assert issue_numbers(org, 1) == [f"FA{Y}003"]
    assert issue_numbers(org, 1, at=local(Y + 1, 1, 1, 0, 0, 0)) == [f"FA{Y + 1}004"]


def test_never_to_yearly_keeps_counting_this_year_and_restarts_next_year() -> None:
    org = make.seller()
    series = make.series(org, "OVO{RRRR}{CCCC}", reset_policy="never")
    issue_numbers(org, 2)

    update(org, series, reset_policy="yearly")

    assert issue_numbers(org, 1) == [f"OVO{Y}0003"]
    assert issue_numbers(org, 1, at=local(Y + 1, 1, 1, 0, 0, 0)) == [f"OVO{Y + 1}0001"]


def test_yearly_to_monthly_needs_the_month_and_keeps_counting_this_month() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{MM}{CCC}")
    issue_numbers(org, 2)
    month = today().month

    update(org, series, reset_policy="monthly")

    assert issue_numbers(org, 1) == [f"FA{Y}{month:02d}003"]
    next_month = dt.date(Y + month // 12, month % 12 + 1, 1)
    at = local(next_month.year, next_month.month, 1, 0, 0, 0)
    assert issue_numbers(org, 1, at=at) == [f"FA{next_month.year}{next_month.month:02d}001"]
    other = make.seller()
    with pytest.raises(InvalidValue, match="has no month"):
        update(other, make.series(other, "FA{RRRR}{CCC}"), reset_policy="monthly")


def test_switching_back_and_forth_never_goes_back() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 2)
    update(org, series, reset_policy="never")
    issue_numbers(org, 2)

    update(org, series, reset_policy="yearly")

    assert issue_numbers(org, 1) == [f"FA{Y}005"]


def test_after_a_policy_change_a_number_dated_before_it_is_refused() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 1)
    update(org, series, reset_policy="never")

    with pytest.raises(InvalidValue) as error:
        issue(org, make.draft(org), issue_date=today() - dt.timedelta(days=1))

    assert error.value.field == "issue_date"
    assert "reset policy changed" in error.value.message


def test_a_policy_change_of_a_series_without_numbers_restricts_nothing() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")

    update(org, series, reset_policy="never")

    assert Series.objects.get(pk=series.pk).reset_policy_since is None
    assert issue(org, make.draft(org), issue_date=today() - dt.timedelta(days=1)).number == f"FA{Y}001"


def test_the_last_number_before_a_policy_change_can_no_longer_be_deleted() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    last_yearly = issue(org, make.draft(org))
    update(org, series, reset_policy="never")
    first_never = issue(org, make.draft(org))

    document_delete(actor=make.TEST_ACTOR, organization=org, document_id=first_never.pk)
    with pytest.raises(NotLatestNumber):
        document_delete(actor=make.TEST_ACTOR, organization=org, document_id=last_yearly.pk)
    assert issue_numbers(org, 1) == [f"FA{Y}002"]


def test_a_policy_change_is_refused_while_numbers_exist_dated_after_today() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    issue_numbers(org, 1, at=local(Y + 1, 1, 2))

    with pytest.raises(InvalidValue, match=f"counts in {Y + 1}, after today") as error:
        update(org, series, reset_policy="never")

    assert error.value.field == "reset_policy"


def test_an_unknown_policy_is_refused_with_the_choices() -> None:
    org = make.seller()
    series = make.series(org)
    with pytest.raises(InvalidValue, match="yearly, monthly, never"):
        update(org, series, reset_policy="weekly")


def test_test_counters_follow_a_policy_change_too() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    org.test_mode = True
    org.save(update_fields=["test_mode"])
    issue_numbers(org, 2)

    update(org, series, reset_policy="never")

    assert issue_numbers(org, 1) == [f"TEST-FA{Y}003"]
    assert SeriesCounter.objects.get(series=series, period="-", is_test=True).value == 3


# -- activity, name, audit, preview -----------------------------------------------------------------


def test_a_series_is_reactivated_only_when_no_other_is_active_for_its_channel_and_type() -> None:
    org = make.seller()
    old = make.series(org, "FA{RRRR}{CCC}")
    update(org, old, is_active=False)
    make.series(org, "FB{RRRR}{CCC}")

    with pytest.raises(Conflict, match="deactivate it first"):
        update(org, old, is_active=True)


def test_a_name_cannot_be_blank_and_another_sellers_series_is_not_found() -> None:
    org, other = make.seller(), make.seller()
    series = make.series(org)
    with pytest.raises(MissingValue):
        update(org, series, name="  ")
    with pytest.raises(NotFound):
        update(other, series, name="Mine")
    with pytest.raises(NotFound):
        series_preview_next(organization=other, series_id=series.pk)


def test_every_change_is_audited_with_the_old_and_new_values() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")

    update(org, series, name="Invoices", pattern="FA-{RRRR}-{CCC}", start_number=5, reset_policy="never")
    update(org, series, name="Invoices")  # nothing changes, nothing is recorded

    (event,) = AuditEvent.objects.filter(action="series.updated", object_id=str(series.pk))
    changes = event.data["changes"]
    assert changes["pattern"] == {"from": "FA{RRRR}{CCC}", "to": "FA-{RRRR}-{CCC}"}
    assert changes["reset_policy"] == {"from": "yearly", "to": "never"}
    assert changes["start_number"] == {"from": 1, "to": 5}
    assert changes["name"]["to"] == "Invoices"


def test_the_preview_shows_the_next_number_without_taking_it() -> None:
    org = make.seller()
    series = make.series(org)
    issue_numbers(org, 2)

    assert series_preview_next(organization=org, series_id=series.pk) == f"FA{Y}003"
    assert series_preview_next(organization=org, series_id=series.pk) == f"FA{Y}003"
    assert series_preview_next(organization=org, series_id=series.pk, test=True) == f"TEST-FA{Y}001"
    assert series_preview_next(organization=org, series_id=series.pk, on=dt.date(Y + 1, 1, 1)) == f"FA{Y + 1}001"
    assert issue_numbers(org, 1) == [f"FA{Y}003"]


def test_series_create_still_refuses_a_colliding_pattern() -> None:
    org = make.seller()
    make.series(org, "FA{RRRR}{CCC}")
    with pytest.raises(SeriesCollision):
        series_create(
            actor=make.TEST_ACTOR, organization=org, document_type="proforma", name="x", pattern="FA{RR}{CCCC}"
        )
