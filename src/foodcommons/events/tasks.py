"""E-mails to registrants, in their language, with the event's .ics attached once they hold a seat."""

from django.core.mail import EmailMessage
from django_tasks import task

from foodcommons.core.mail import render_email


@task()
def send_registration_email(registration_id: str, template: str, context: dict) -> None:
    """Send one e-mail about a registration (a background job); the .ics goes with a confirmed seat."""
    from foodcommons.events import calendar
    from foodcommons.events.models import Registration

    registration = Registration.objects.select_related("event", "event__place", "event__organisation").filter(public_id=registration_id).first()
    if registration is None:
        return
    event = registration.event
    language = registration.language or "fr"
    full = {**context, "title": event.title(language), "starts_at": event.starts_at, "ends_at": event.ends_at,
            "where": calendar.location_text(event, language), "status": registration.status, "name": registration.name}
    subject, body = render_email(template=template, language=language, context=full)
    message = EmailMessage(subject, body, to=[registration.email], headers={"Content-Language": language})
    if registration.status == Registration.Status.CONFIRMED:
        message.attach(f"{event.public_id}.ics", calendar.calendar([event], name=event.title(language), language=language), "text/calendar")
    message.send()

