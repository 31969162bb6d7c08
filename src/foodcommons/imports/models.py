"""Sources of data (with their licence and attribution) and the records each gave."""

from django.db import models


class Source(models.Model):
    """A list kept elsewhere that this commons takes data from."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    licence = models.CharField(max_length=64, help_text="SPDX licence identifier of the data")
    attribution = models.CharField(max_length=500, help_text="Text to show wherever the data is shown")
    url = models.URLField(blank=True, max_length=500)
    format = models.CharField(max_length=32, blank=True)
    priority = models.IntegerField(default=0, help_text="Higher wins when sources disagree")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class SourceRecord(models.Model):
    """One record of a source, as last seen, and the place it feeds."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="records")
    external_id = models.CharField(max_length=200)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_records")
    data = models.JSONField(default=dict, help_text="The record as the source gave it")
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="unique_source_record")]
        indexes = [models.Index(fields=["place"], name="sourcerecord_place_idx")]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"
