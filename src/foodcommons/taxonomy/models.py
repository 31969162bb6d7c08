"""The shared, editable tree of categories and the attributes each category declares."""

from django.db import models
from django.utils.translation import get_language


def _localised(obj, prefix: str, language: str | None) -> str:
    lang = (language or get_language() or "fr")[:2]
    return getattr(obj, f"{prefix}_{lang}", "") or obj.__dict__.get(f"{prefix}_fr") or obj.__dict__.get(f"{prefix}_en") or ""


class Category(models.Model):
    """A node of the taxonomy, with a stable identifier and labels in three languages."""

    slug = models.SlugField(max_length=64, unique=True, help_text="Stable identifier, never reused")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    label_fr = models.CharField(max_length=200)
    label_nl = models.CharField(max_length=200, blank=True)
    label_en = models.CharField(max_length=200, blank=True)
    description_fr = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    color = models.CharField(max_length=7, blank=True, help_text="#rrggbb, inherited by subcategories when empty")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.slug

    def label(self, language: str | None = None) -> str:
        """Return the label in `language` (default: the active one), with fallbacks."""
        return _localised(self, "label", language)

    @property
    def labels(self) -> dict[str, str]:
        return {k: v for k in ("fr", "nl", "en") if (v := getattr(self, f"label_{k}"))}


class AttributeDefinition(models.Model):
    """A typed attribute that places of a category (and its subcategories) may carry."""

    class Type(models.TextChoices):
        BOOLEAN = "boolean"
        INTEGER = "integer"
        DECIMAL = "decimal"
        TEXT = "text"
        CHOICE = "choice"
        MULTICHOICE = "multichoice"
        DATE = "date"
        URL = "url"
        OPENING_HOURS = "opening_hours"

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    key = models.SlugField(max_length=64)
    type = models.CharField(max_length=16, choices=Type.choices)
    label_fr = models.CharField(max_length=200)
    label_nl = models.CharField(max_length=200, blank=True)
    label_en = models.CharField(max_length=200, blank=True)
    choices = models.JSONField(default=list, blank=True, help_text='[{"value": "...", "labels": {"fr": "..."}}]')
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["category", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["category", "key"], name="unique_attribute_per_category")]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.key}"

    def label(self, language: str | None = None) -> str:
        return _localised(self, "label", language)

    @property
    def labels(self) -> dict[str, str]:
        return {k: v for k in ("fr", "nl", "en") if (v := getattr(self, f"label_{k}"))}
