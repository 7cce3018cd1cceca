"""Any sequence of issues, aborted issues, deletions and cancellations keeps every period at 1..N.

Hypothesis draws the sequence; one process plays it against the real database
(each aborted issue is a savepoint rolled back after ``document_issue`` returned,
so its number was taken and given back). After every step the numbers of each
period are exactly 1..N, where N counts the documents still issued or cancelled.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_cancel, document_delete
from faktura.apps.invoicing.services.lifecycle import NotLatestNumber
from tests import factories as make
from tests.integration.numbering.helpers import assert_gapless, counters_by_period, issue, local

pytestmark = pytest.mark.django_db

YEARS = {"2026": local(2026, 12, 31, 23, 59, 59), "2027": local(2027, 1, 1, 0, 0, 0)}
steps = st.lists(
    st.tuples(
        st.sampled_from(["issue", "abort", "delete_latest", "delete_older", "cancel"]), st.sampled_from(sorted(YEARS))
    ),
    min_size=1,
    max_size=25,
)


class AbortError(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_issue_abort_delete_and_cancel_in_any_order_keep_every_period_gapless(steps: list[tuple[str, str]]) -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    live = dict.fromkeys(YEARS, 0)
    for action, year in steps:
        issued = Document.objects.filter(series=series, period=year).exclude(status="draft").order_by("counter")
        if action == "issue":
            issue(org, make.draft(org), at=YEARS[year])
            live[year] += 1
        elif action == "abort":
            try:
                with transaction.atomic():
                    issue(org, make.draft(org), at=YEARS[year])
                    raise AbortError
            except AbortError:
                pass
        elif action == "delete_latest" and issued:
            document_delete(actor=make.TEST_ACTOR, organization=org, document_id=issued.last().pk)
            live[year] -= 1
        elif action == "delete_older" and len(issued) > 1:
            with pytest.raises(NotLatestNumber):
                document_delete(actor=make.TEST_ACTOR, organization=org, document_id=issued.first().pk)
        elif action == "cancel" and issued.filter(status="issued"):
            document_cancel(actor=make.TEST_ACTOR, organization=org, document_id=issued.filter(status="issued")[0].pk)

        assert_gapless(series, expected=sum(live.values()))
        assert {year: len(c) for year, c in counters_by_period(series).items()} == {y: n for y, n in live.items() if n}
