"""The job worker that `serve` runs also enqueues the periodic jobs when due, once per period."""

import pytest

from foodcommons.collaboration.models import PeriodicRun
from foodcommons.platform.worker import keep_scheduling

REMINDERS = "foodcommons.collaboration.tasks.send_upkeep_reminders"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_enqueues_the_upkeep_reminders_once_however_often_it_checks(capsys):
    keep_scheduling(0, rounds=3)
    assert list(PeriodicRun.objects.values_list("name", flat=True)) == [REMINDERS]
    assert capsys.readouterr().out.count(f"enqueued {REMINDERS}") == 1
