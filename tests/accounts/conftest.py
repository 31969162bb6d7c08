from tests.collaboration.conftest import immediate_jobs_and_fresh_limits  # noqa: F401  (autouse fixture)
