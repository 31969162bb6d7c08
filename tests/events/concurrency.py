"""Many people confirming their registrations at once: what the concurrency test runs, in the test process or in a child one."""

import json
import sys
import threading
from datetime import UTC


def run(*, capacity: int = 20, people: int = 50, threads: int = 10) -> dict:
    """Register `people` to an event of `capacity` seats, confirm them from `threads` threads at once, cancel one; count."""
    from datetime import datetime, timedelta

    from django.db import connection

    from foodcommons.collaboration.models import Organisation
    from foodcommons.events import services
    from foodcommons.events.models import Registration

    organisation = Organisation.objects.create(slug=f"concurrency-{datetime.now().timestamp():.0f}", name="Concurrency")
    start = datetime.now(UTC) + timedelta(days=30)
    event = services.create_event(data={"title_fr": "Atelier", "organisation": organisation, "starts_at": start,
                                        "ends_at": start + timedelta(hours=2), "capacity": capacity}, author=None, check_role=False)
    registrations = [services.register(public_id=event.public_id, email=f"r{i}@example.org") for i in range(people)]
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def confirm(chunk):
        try:
            barrier.wait()
            for registration in chunk:
                services.confirm_registration(token=services.confirm_token(registration))
        except Exception as error:  # counted by the test
            errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=confirm, args=(registrations[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    before = {"confirmed": statuses.count("confirmed"), "waitlisted": statuses.count("waitlisted")}
    first_waiting = Registration.objects.filter(event=event, status="waitlisted").order_by("queued_at", "pk").first()
    seated = Registration.objects.filter(event=event, status="confirmed").first()
    services.cancel_registration(token=services.cancel_token(seated))
    return {"errors": errors, "before": before, "vendor": connection.vendor,
            "promoted": Registration.objects.get(pk=first_waiting.pk).status,
            "after_confirmed": Registration.objects.filter(event=event, status="confirmed").count()}


if __name__ == "__main__":
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    sys.stdout.write("RESULT " + json.dumps(run()) + "\n")
