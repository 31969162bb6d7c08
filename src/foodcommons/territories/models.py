"""Belgian territories: regions, provinces, arrondissements and communes, keyed by NIS code."""

from django.db import models
from django.utils.translation import get_language


class Territory(models.Model):
    """An administrative area of Belgium, identified by its Statbel NIS code."""

    class Level(models.TextChoices):
        REGION = "region", "region"
        PROVINCE = "province", "province"
        ARRONDISSEMENT = "arrondissement", "arrondissement"
        COMMUNE = "commune", "commune"

    code = models.CharField(primary_key=True, max_length=5)
    level = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    name_fr = models.CharField(max_length=200)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    population = models.PositiveIntegerField(null=True, blank=True)
    geometry = models.JSONField(null=True, blank=True, help_text="GeoJSON Polygon or MultiPolygon (WGS 84)")
    min_lon = models.FloatField(null=True)
    min_lat = models.FloatField(null=True)
    max_lon = models.FloatField(null=True)
    max_lat = models.FloatField(null=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return f"{self.name_fr} ({self.code})"

    def name(self, language: str | None = None) -> str:
        """Return the name in `language` (default: the active one), falling back to French."""
        lang = (language or get_language() or "fr")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_fr

    @property
    def names(self) -> dict[str, str]:
        return {k: v for k, v in (("fr", self.name_fr), ("nl", self.name_nl), ("en", self.name_en)) if v}
