"""Where each mirror of another instance stands, so that an interrupted run resumes."""

from django.db import models


class MirrorState(models.Model):
    """The origin a mirror copies and the change cursor it has applied up to."""

    origin = models.URLField(max_length=500, unique=True)
    bootstrapped = models.BooleanField(default=False, help_text="The origin's dump has been loaded")
    cursor = models.CharField(max_length=32, default="0", help_text="The origin's change cursor applied up to")
    applied = models.PositiveIntegerField(default=0, help_text="Changes written so far")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.origin} @ {self.cursor}"
