"""Sources of data (with their licence and attribution) and the records each gave."""

import uuid

from django.conf import settings
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
    # PROTECT: an organisation that keeps lists is not deleted by accident; its sources are given to another one (or to
    # staff, by emptying the field) first, rather than silently becoming staff-only.
    organisation = models.ForeignKey("collaboration.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="sources",
                                     help_text="The organisation that keeps this list (none: platform staff only)")
    unmatched_organisation = models.CharField(max_length=200, blank=True, editable=False,
                                              help_text="The organisation named before organisations were linked, which matched none")
    location = models.CharField(max_length=1000, blank=True, help_text="Path or URL the data is read from")
    field_mapping = models.JSONField(default=dict, blank=True, help_text="{record field: column or property of the source}")
    category_mapping = models.JSONField(default=dict, blank=True, help_text="{label of the source: category identifier}")
    default_category = models.SlugField(max_length=64, blank=True, help_text="Category of records whose labels map to none")
    schedule_hours = models.PositiveIntegerField(null=True, blank=True, help_text="Re-import a URL source every so many hours")
    overrides_people = models.BooleanField(default=False, help_text="Its values beat people's edits (for authoritative sources)")
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class SourceRecord(models.Model):
    """One record of a source, as last seen, and the place it feeds."""

    # No index of their own: unique_source_record and sourcerecord_place_idx serve them (fewer indexes to write on import).
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="records", db_index=False)
    external_id = models.CharField(max_length=200)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_records", db_index=False)
    data = models.JSONField(default=dict, help_text="The record as the source gave it")
    fetched_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=64, blank=True, help_text="Hash of the record: unchanged records are skipped")
    missing_since = models.DateTimeField(null=True, blank=True, help_text="When the source stopped listing it (flagged for review)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="unique_source_record")]
        indexes = [models.Index(fields=["place"], name="sourcerecord_place_idx")]

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.external_id}"


class ImportRun(models.Model):
    """One import of a file into a source: what it did, row by row errors, and whether it was reverted."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        DRY_RUN = "dry_run"
        FAILED = "failed"
        REVERTED = "reverted"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    location = models.CharField(max_length=1000, blank=True)
    file_format = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    counts = models.JSONField(default=dict, help_text="created, updated, unchanged, merged, review, flagged, skipped, errors")
    errors = models.JSONField(default=list, help_text="[{row, field, reason}]")
    decisions = models.JSONField(default=list, help_text="[{row, external_id, action, place, score, reasons}]")
    notices = models.JSONField(default=list, blank=True, help_text="[{row, field, value, code, outcome, fix}]: values dropped or changed, locations to check")
    problem_rows = models.JSONField(default=list, blank=True, help_text="[{row, columns}]: rows with an error or a notice, as the source gave them")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.source.slug} ({self.status})"


class RunChange(models.Model):
    """A place an import run created or changed, with what to put back when the run is reverted."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField(default=False)
    version_before = models.PositiveIntegerField(null=True, blank=True)
    record = models.ForeignKey(SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    record_before = models.JSONField(null=True, blank=True, help_text="{place, data, fingerprint} of an existing record")

    def __str__(self) -> str:
        return f"run {self.run_id}: place {self.place_id} {'created' if self.created else f'from v{self.version_before}'}"


class FieldClaim(models.Model):
    """Field-level provenance: a value of one field of a place, as one source (or people) gave it, and when."""

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="claims", db_index=False)  # fieldclaim_place_idx serves it
    field = models.CharField(max_length=32)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="claims", help_text="None: people")
    record = models.ForeignKey(SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    value = models.JSONField(null=True)
    observed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["place", "field"], name="fieldclaim_place_idx")]

    def __str__(self) -> str:
        return f"{self.field} of place {self.place_id} from {self.source_id or 'people'}"


class MatchCandidate(models.Model):
    """Two places that may be the same actor, waiting for a reviewer (or decided)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        MERGED = "merged"
        KEPT_APART = "kept_apart"

    place_a = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    place_b = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["place_a", "place_b"], name="unique_match_pair")]

    def __str__(self) -> str:
        return f"places {self.place_a_id} ~ {self.place_b_id} ({self.status}, {self.score:.2f})"


class ImportJob(models.Model):
    """An import started from the web: its options, its uploaded file (in the default storage), and its state.

    The database holds the state every process reads; the file lives in Django's configured storage (local disk, or an
    S3-compatible bucket), so that the web process that took the upload and the worker that runs it need not share a folder.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="jobs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dry_run = models.BooleanField(default=False)
    upload = models.FileField(upload_to="imports/uploads/", max_length=300, blank=True, help_text="The file, until a real run or some days")
    filename = models.CharField(max_length=1000, blank=True)
    url = models.CharField(max_length=1000, blank=True)
    file_format = models.CharField(max_length=32, blank=True)
    field_mapping = models.JSONField(null=True, blank=True, help_text="None: the source's mapping")
    default_category = models.SlugField(max_length=64, null=True, blank=True, help_text="None: the source's")  # noqa: DJ001 None ≠ "" here
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=16, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, field, reason}]")
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"import job {self.pk.hex} into {self.source.slug} ({self.status})"


class Correction(models.Model):
    """A change people made to a value a source provides: what the source's maintainers should hear of (its outbox)."""

    class Status(models.TextChoices):
        OPEN = "open"
        APPLIED = "applied"  # the maintainers say they made it in their list
        DECLINED = "declined"  # the maintainers say their list is right
        CLOSED = "closed"  # settled by itself: the source now gives the new value, or people put the source's back

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="corrections")
    record = models.ForeignKey(SourceRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=32, help_text="A tracked field (name.fr, contacts, geometry, …)")
    source_value = models.JSONField(null=True, help_text="The value the source gives")
    new_value = models.JSONField(null=True, help_text="The value people wrote (None: they removed it)")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.CharField(max_length=500, blank=True, help_text="Why, as the person said")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_because = models.CharField(max_length=32, blank=True, help_text="source_agrees, put_back")
    conflict = models.JSONField(null=True, blank=True, help_text="{value, run, at}: a re-import brought another value than people's")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "place", "field"], condition=models.Q(status="open"), name="one_open_correction")]

    def __str__(self) -> str:
        return f"{self.field} of place {self.place_id} for {self.source.slug} ({self.status})"
