"""Pure rules: diffs, freshness, digests, Markdown sanitising, the periodic schedule."""

from datetime import UTC, datetime, timedelta

from foodcommons.collaboration.domain.diff import diff_states
from foodcommons.collaboration.domain.text import render_markdown
from foodcommons.collaboration.domain.upkeep import digests, is_stale
from foodcommons.core.schedule import PERIODIC_JOBS, due_jobs

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_diff_flattens_nested_fields_and_ignores_bookkeeping():
    before = {"version": 1, "name": {"fr": "A", "nl": "B"}, "status": "active", "updated_at": "x"}
    after = {"version": 2, "name": {"fr": "A2"}, "status": "active", "updated_at": "y"}
    assert [c.as_dict() for c in diff_states(before, after)] == [
        {"field": "name.fr", "before": "A", "after": "A2"}, {"field": "name.nl", "before": "B", "after": None},
    ]


def test_a_place_is_stale_after_the_configured_age_counted_from_creation_when_never_confirmed():
    assert is_stale(last_confirmed=None, created_at=NOW - timedelta(days=366), now=NOW, max_age_days=365)
    assert not is_stale(last_confirmed=NOW - timedelta(days=10), created_at=NOW - timedelta(days=900), now=NOW, max_age_days=365)


def test_digests_group_places_per_person_and_stop_at_the_cap():
    assert digests([(1, 10), (1, 11), (2, 10), (3, 12)], cap=3) == {1: [10, 11], 2: [10]}


def test_markdown_keeps_formatting_and_drops_scripts_and_dangerous_links():
    html = render_markdown('**bold** <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://example.org)')
    assert "<strong>bold</strong>" in html and "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_a_periodic_job_is_due_once_its_interval_has_passed():
    name, every = next(iter(PERIODIC_JOBS.items()))
    others = {other: NOW for other in PERIODIC_JOBS if other != name}  # the other jobs just ran
    assert name in due_jobs(last_runs={}, now=NOW)
    assert due_jobs(last_runs={**others, name: NOW - every / 2}, now=NOW) == []
    assert due_jobs(last_runs={**others, name: NOW - every}, now=NOW) == [name]
