"""API tokens (only a digest is stored, the token itself is shown once) and user profiles."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token that lets a program act as a user through the API."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a token")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token")
    can_write = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Profile(models.Model):
    """What a user chose about themselves: the language of pages and e-mails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=8, default="fr", choices=[("fr", "Français"), ("nl", "Nederlands"), ("en", "English")])
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Set when the account was deleted (its history stays)")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
