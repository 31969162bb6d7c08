"""Aggregates of published places per map cell, so that a map of the whole country reads a few hundred rows."""

from django.db import models


class MapPoint(models.Model):
    """What the aggregates last counted of one published place, to subtract it when the place changes."""

    place_id = models.BigIntegerField(primary_key=True)
    lon = models.FloatField()
    lat = models.FloatField()
    group = models.CharField(max_length=64, help_text="Top-level category the place is counted under")

    def __str__(self) -> str:
        return f"place {self.place_id} in {self.group} at {self.lon}, {self.lat}"


class MapCell(models.Model):
    """The published places of one category group inside one grid cell of one level."""

    level = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    group = models.CharField(max_length=64)
    count = models.IntegerField()
    sum_lon = models.FloatField()
    sum_lat = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "x", "y", "group"], name="unique_map_cell")]
        indexes = [models.Index(fields=["level", "x", "y"], name="map_cell_xy_idx")]

    def __str__(self) -> str:
        return f"{self.count} {self.group} in cell {self.level}/{self.x}/{self.y}"
