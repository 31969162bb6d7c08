"""A person following something of the commons, by account or by an e-mail address confirmed by a link."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class Subscription(models.Model):
    """One address following one target (a territory, a category, a place, a work stream) or the newsletter."""

    class Kind(models.TextChoices):
        TERRITORY = "territory", pgettext_lazy("subscription kind", "territory")
        CATEGORY = "category", pgettext_lazy("subscription kind", "category")
        PLACE = "place", pgettext_lazy("subscription kind", "place")
        WORK_STREAM = "work_stream", pgettext_lazy("subscription kind", "work stream")
        NEWSLETTER = "newsletter", pgettext_lazy("subscription kind", "newsletter")

    public_id = models.CharField(max_length=32, unique=True)
    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=5, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The digest has told everything changed up to this time (set at confirmation, moved by each digest).
    notified_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind", "key"], name="unique_subscription")]
        indexes = [models.Index(fields=["kind", "key", "confirmed_at"], name="subscription_target_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ({self.public_id})"
