"""The job worker that `serve` runs also enqueues the periodic jobs when due, once per period."""

import pytest

from foodcommons.collaboration.models import PeriodicRun
from foodcommons.core.schedule import PERIODIC_JOBS
from foodcommons.platform.worker import keep_scheduling

REMINDERS = "foodcommons.collaboration.tasks.send_upkeep_reminders"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_enqueues_each_periodic_job_once_however_often_it_checks(capsys):
    keep_scheduling(0, rounds=3)
    assert REMINDERS in PERIODIC_JOBS
    assert sorted(PeriodicRun.objects.values_list("name", flat=True)) == sorted(PERIODIC_JOBS)
    out = capsys.readouterr().out
    assert all(out.count(f"enqueued {name}") == 1 for name in PERIODIC_JOBS)
