"""Places of sustainable food, their categories, areas served and append-only revisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy

from foodcommons.taxonomy.models import Category
from foodcommons.territories.models import Territory

LANGUAGES = ("fr", "nl", "en")


class Place(models.Model):
    """An actor or site of sustainable food: the current state, whose history is in PlaceRevision."""

    class Status(models.TextChoices):
        # Lazy labels in the page's language; the same words as before, so no migration follows.
        ACTIVE = "active", pgettext_lazy("place status", "active")
        TEMPORARILY_CLOSED = "temporarily_closed", pgettext_lazy("place status", "temporarily closed")
        CLOSED = "closed", pgettext_lazy("place status", "closed")

    public_id = models.CharField(max_length=32, unique=True, help_text="Stable URL-safe identifier, never reused")
    version = models.PositiveIntegerField(default=1)

    name_fr = models.CharField(max_length=300, blank=True)
    name_nl = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    description_fr = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    categories = models.ManyToManyField(Category, through="PlaceCategory", related_name="places")

    geometry_type = models.CharField(max_length=16, blank=True, help_text="Point, Polygon, MultiPolygon or empty")
    lon = models.FloatField(null=True, blank=True, help_text="Longitude of the point, or of a point inside the area")
    lat = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    shape = models.JSONField(null=True, blank=True, help_text="GeoJSON coordinates of a Polygon or MultiPolygon")
    commune = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="places")
    areas_served = models.ManyToManyField(Territory, through="PlaceAreaServed", related_name="served_places")

    street = models.CharField(max_length=300, blank=True)
    house_number = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    contacts = models.JSONField(default=list, blank=True, help_text="[{kind, value, private}]")
    opening_hours = models.CharField(max_length=1000, blank=True, help_text="OSM opening_hours syntax")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    attributes = models.JSONField(default=dict, blank=True)
    licence = models.CharField(max_length=64, help_text="SPDX licence identifier")

    search_text = models.TextField(blank=True, editable=False, help_text="Folded text indexed for full-text search")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_confirmed = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["updated_at"], name="place_updated_idx"),
            models.Index(fields=["lon", "lat"], name="place_lonlat_idx"),
            # The live places' ids alone: pages in id order (OGC items, their offsets, a category's places joined
            # by id) walk this small index instead of the table's rows to test `deleted_at` on each.
            models.Index(fields=["id"], condition=models.Q(deleted_at__isnull=True), name="place_live_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name()} ({self.public_id})"

    def display_name(self, language: str | None = None) -> str:
        """Return the name in `language` or the first name available."""
        lang = (language or get_language() or "fr")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_fr or self.name_nl or self.name_en

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def geometry(self) -> dict | None:
        """Return the GeoJSON geometry of the place, or None."""
        if self.geometry_type == "Point":
            return {"type": "Point", "coordinates": [self.lon, self.lat]}
        if self.geometry_type:
            return {"type": self.geometry_type, "coordinates": self.shape}
        return None


class PlaceCategory(models.Model):
    """The link between a place and one of its categories."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "category"], name="unique_place_category")]
        indexes = [models.Index(fields=["category", "place"], name="placecategory_cat_idx")]

    def __str__(self) -> str:
        return f"{self.place.public_id} in {self.category.slug}"


class PlaceAreaServed(models.Model):
    """A commune (or larger territory) a place serves, for places without a location of their own."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "territory"], name="unique_place_area")]
        indexes = [models.Index(fields=["territory", "place"], name="placearea_territory_idx")]

    def __str__(self) -> str:
        return f"{self.place.public_id} serves {self.territory_id}"


class PlaceRevision(models.Model):
    """One change of a place: who, when, why, and the full state after it. Never updated."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("history action", "Create")
        UPDATE = "update", pgettext_lazy("history action", "Update")
        DELETE = "delete", pgettext_lazy("history action", "Delete")
        RESTORE = "restore", pgettext_lazy("history action", "Restore")
        REVERT = "revert", pgettext_lazy("history action", "Revert")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()
    comment = models.CharField(max_length=500, blank=True)
    state = models.JSONField(help_text="The whole place after this change")

    class Meta:
        ordering = ["place", "version"]
        constraints = [models.UniqueConstraint(fields=["place", "version"], name="unique_revision_version")]
        indexes = [models.Index(fields=["created_at", "id"], name="revision_created_idx")]

    def __str__(self) -> str:
        return f"{self.place.public_id} v{self.version} {self.action}"


class PlacePublicJson(models.Model):
    """The published representation of a place, encoded once (what `GET /api/places` pages are assembled from).

    Valid while `version`, `last_confirmed` and `epoch` equal the place's and the representation's current ones;
    a reader that finds them different builds the place afresh instead (places.public_json).
    """

    place = models.OneToOneField(Place, primary_key=True, on_delete=models.CASCADE, related_name="public_json")
    version = models.PositiveIntegerField()
    last_confirmed = models.DateTimeField(null=True, blank=True)
    epoch = models.BigIntegerField(help_text="The fingerprint of what the body depends on beyond the place (fields, categories, territories)")
    licence = models.CharField(max_length=64)
    body = models.BinaryField(help_text="orjson bytes of the published state with its territories; no url, sources or attribution")

    def __str__(self) -> str:
        return f"published body of place {self.place_id} v{self.version}"
