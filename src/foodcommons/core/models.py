"""The one table of core: versions of the data every process keeps in memory."""

from django.db import models


class CacheVersion(models.Model):
    """The current version of one kind of data that processes cache (the taxonomy, the territories).

    Every change writes a new random value in the same transaction; each process compares it with the value its
    copy was built from (core.versions), so that a change made by one process is seen by all of them.
    """

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
