"""Events of the commons (territorial meetings, workshops), their programme and the people registered."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import pgettext_lazy

from foodcommons.collaboration.models import Organisation
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

USER = settings.AUTH_USER_MODEL


def _in_language(obj, field: str, language: str | None = None) -> str:
    lang = (language or translation.get_language() or "fr")[:2]
    return getattr(obj, f"{field}_{lang}", "") or obj.__dict__.get(f"{field}_fr") or obj.__dict__.get(f"{field}_nl") or obj.__dict__.get(f"{field}_en") or ""


class Event(models.Model):
    """A meeting in a place of the commons, at an address or online."""

    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("event status", "published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")

    public_id = models.CharField(max_length=32, unique=True)
    title_fr = models.CharField(max_length=200, blank=True)
    title_nl = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    description_fr = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    # The shared work streams of the knowledge commons; a lazy reference: knowledge is a sibling layer, so no Python import of it.
    work_streams = models.ManyToManyField("knowledge.WorkStream", blank=True, related_name="events")
    # After the event: its minutes, its "harvest of results" — documents of the library (lazy reference, as above).
    documents = models.ManyToManyField("knowledge.Document", blank=True, related_name="events")
    capacity = models.PositiveIntegerField(null=True, blank=True)
    requires_approval = models.BooleanField(default=False)
    questions = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        """Return the title in `language` (default: the active one), falling back to another."""
        return _in_language(self, "title", language)

    def description(self, language: str | None = None) -> str:
        """Return the description in `language`, falling back to another."""
        return _in_language(self, "description", language)


class Session(models.Model):
    """One item of an event's programme."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    title_fr = models.CharField(max_length=200, blank=True)
    title_nl = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return _in_language(self, "title", language)


class Registration(models.Model):
    """A person registered to an event: by account, or by an e-mail address confirmed by a link."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", pgettext_lazy("registration status", "waiting for e-mail confirmation")
        PENDING = "pending", pgettext_lazy("registration status", "waiting for the organisers' approval")
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "confirmed")
        WAITLISTED = "waitlisted", pgettext_lazy("registration status", "on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")
        DECLINED = "declined", pgettext_lazy("registration status", "declined")

    public_id = models.CharField(max_length=32, unique=True)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="event_registrations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=5, default="fr")
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNCONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the reminder before the event was sent (once)

    class Meta:
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.event_id} ({self.status})"
