"""Organisations and their members, maintainers of places, suggestions, reports and confirmations."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from foodcommons.places.models import Place
from foodcommons.taxonomy.models import Category

USER = settings.AUTH_USER_MODEL


class Organisation(models.Model):
    """A network or association whose members maintain places together."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation."""

    class Role(models.TextChoices):
        MEMBER = "member"
        EDITOR = "editor"
        MODERATOR = "moderator"
        ADMIN = "admin"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation.slug} ({self.role})"


class PlaceMaintainer(models.Model):
    """An organisation that keeps a place current (several may share one place)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="maintainers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="maintained")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "organisation"], name="unique_place_maintainer")]

    def __str__(self) -> str:
        return f"{self.organisation.slug} maintains {self.place.public_id}"


class CategoryOwner(models.Model):
    """An organisation that clears every change to places of a category (and its subcategories)."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="owner")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="owned_categories")

    def __str__(self) -> str:
        return f"{self.organisation.slug} owns {self.category.slug}"


class Suggestion(models.Model):
    """A change proposed by someone who may not publish it directly, waiting for a moderator."""

    class Kind(models.TextChoices):
        CREATE = "create", pgettext_lazy("suggestion kind", "Create")
        UPDATE = "update", pgettext_lazy("suggestion kind", "Update")
        DELETE = "delete", pgettext_lazy("suggestion kind", "Delete")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", pgettext_lazy("suggestion status", "Unconfirmed")
        PENDING = "pending", pgettext_lazy("suggestion status", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("suggestion status", "Accepted")
        REJECTED = "rejected", pgettext_lazy("suggestion status", "Rejected")

    public_id = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions")
    base_version = models.PositiveIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="The new place, or the merge patch")
    comment = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions")
    email = models.EmailField(blank=True, help_text="Private: the anonymous contributor's address")
    language = models.CharField(max_length=8, default="fr")
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_comment = models.CharField(max_length=500, blank=True)
    result_place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.kind} suggestion {self.public_id} ({self.status})"


class Report(models.Model):
    """A signal that a place is closed, wrong, a duplicate or inappropriate."""

    class Reason(models.TextChoices):
        # Lazy labels in the page's language; the same words as before, so no migration follows.
        CLOSED = "closed", pgettext_lazy("report reason", "Closed")
        WRONG = "wrong", pgettext_lazy("report reason", "Wrong")
        DUPLICATE = "duplicate", pgettext_lazy("report reason", "Duplicate")
        INAPPROPRIATE = "inappropriate", pgettext_lazy("report reason", "Inappropriate")

    class Status(models.TextChoices):
        OPEN = "open"
        RESOLVED = "resolved"
        DISMISSED = "dismissed"

    public_id = models.CharField(max_length=32, unique=True)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    duplicate_of = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.CharField(max_length=2000, blank=True)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="fr")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution_comment = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.reason} report {self.public_id} ({self.status})"


class Confirmation(models.Model):
    """Someone confirmed that a place is still accurate."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    via = models.CharField(max_length=8, default="web", help_text="web, api or email")

    class Meta:
        indexes = [models.Index(fields=["place", "-created_at"], name="confirmation_place_idx")]

    def __str__(self) -> str:
        return f"{self.place.public_id} confirmed via {self.via} at {self.created_at}"


class Reminder(models.Model):
    """A place a maintainer was reminded of, so that a run does not remind twice."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "place", "-sent_at"], name="reminder_user_place_idx")]

    def __str__(self) -> str:
        return f"{self.user} reminded of {self.place.public_id} at {self.sent_at}"


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued."""

    name = models.CharField(max_length=64, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} (last enqueued {self.last_enqueued_at})"
