"""Local supply and collective catering: producers' offers, buyers, demands with lines, tenders with lots, interests.

Prices, budgets and interests are private: only the buyer concerned sees them, no public output carries them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from foodcommons.collaboration.models import Organisation
from foodcommons.places.models import Place


class Offer(models.Model):
    """What a producer place offers: a DFC product, months, volume, delivery area and days, processing, certificates."""

    class Unit(models.TextChoices):
        KG = "kg", pgettext_lazy("unit", "kg")
        L = "l", pgettext_lazy("unit", "litres")
        PIECE = "piece", pgettext_lazy("unit", "pieces")

    class Period(models.TextChoices):
        WEEK = "week", pgettext_lazy("period", "per week")
        MONTH = "month", pgettext_lazy("period", "per month")

    public_id = models.CharField(max_length=32, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="offers")
    product = models.CharField(max_length=64, help_text="DFC product type id")
    family = models.CharField(max_length=64, help_text="Top of the product's branch: the pre-filter of the matching")
    months = models.JSONField(default=list)
    # The months again as bits (1 << month), written with them, so that the database keeps only offers in season.
    month_mask = models.PositiveIntegerField(default=0)
    volume = models.FloatField()
    volume_unit = models.CharField(max_length=8, choices=Unit.choices)
    volume_period = models.CharField(max_length=8, choices=Period.choices)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, help_text="Private: buyers only")
    minimum_order = models.FloatField(null=True, blank=True)
    delivery_radius_km = models.FloatField(null=True, blank=True)
    delivery_communes = models.JSONField(default=list, blank=True, help_text="NIS codes")
    delivery_days = models.JSONField(default=list, blank=True)
    processing = models.JSONField(default=list)
    organic = models.BooleanField(default=False)
    organic_certifier = models.CharField(max_length=100, blank=True)
    organic_expires = models.DateField(null=True, blank=True)
    afsca_number = models.CharField(max_length=20, blank=True)
    afsca_checked = models.BooleanField(default=False)
    intermediaries = models.PositiveSmallIntegerField(default=0)
    # Copied from the place at each write so that the pre-filter is one indexed query.
    lon = models.FloatField()
    lat = models.FloatField()
    active = models.BooleanField(default=True)
    is_example = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["family", "lon", "lat"], name="offer_family_lonlat_idx"),
                   models.Index(fields=["product", "lon", "lat"], name="offer_product_lonlat_idx")]

    def __str__(self) -> str:
        return f"{self.product} @ {self.place_id}"


class OffersVersion(models.Model):
    """One row whose token a database trigger changes with every write to the offers, in the same transaction.

    The per-process columns of the active offers (`supply.offer_columns`) are checked against it on each read: any write,
    through the services, a bulk write, a cascade or plain SQL, makes every process read the offers again.
    """

    token = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.token)


class Buyer(models.Model):
    """An organisation that buys for collective catering, with its kind and registration number."""

    class Kind(models.TextChoices):
        SCHOOL = "school", pgettext_lazy("buyer kind", "school")
        CRECHE = "creche", pgettext_lazy("buyer kind", "crèche")
        HOSPITAL = "hospital", pgettext_lazy("buyer kind", "hospital")
        REST_HOME = "rest_home", pgettext_lazy("buyer kind", "rest home")
        ADMINISTRATION = "administration", pgettext_lazy("buyer kind", "administration")
        OTHER = "other", pgettext_lazy("buyer kind", "other")

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="buyer")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    vat_number = models.CharField(max_length=20, blank=True)
    vat_checked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.organisation.name} ({self.kind})"


class Demand(models.Model):
    """A buyer's demand: products by line, a delivery point, constraints and an optional private budget."""

    class Status(models.TextChoices):
        PUBLISHED = "published", pgettext_lazy("demand status", "published")
        CLOSED = "closed", pgettext_lazy("demand status", "closed")

    public_id = models.CharField(max_length=32, unique=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="demands")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="demands")
    lon = models.FloatField()
    lat = models.FloatField()
    commune_nis = models.CharField(max_length=5, blank=True)
    organic = models.BooleanField(default=False)
    processing = models.CharField(max_length=8, blank=True)
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, help_text="Private: the buyer only")
    starts_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DemandLine(models.Model):
    """One product of a demand: quantity per delivery, unit, frequency and months."""

    class Frequency(models.TextChoices):
        DAILY = "daily", pgettext_lazy("frequency", "every school day")
        TWICE_WEEKLY = "twice_weekly", pgettext_lazy("frequency", "twice a week")
        WEEKLY = "weekly", pgettext_lazy("frequency", "every week")
        FORTNIGHTLY = "fortnightly", pgettext_lazy("frequency", "every two weeks")
        MONTHLY = "monthly", pgettext_lazy("frequency", "every month")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="lines")
    product = models.CharField(max_length=64)
    family = models.CharField(max_length=64)
    quantity = models.FloatField()
    unit = models.CharField(max_length=8, choices=Offer.Unit.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    months = models.JSONField(default=list)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity:g} {self.unit}"


class Tender(models.Model):
    """A public tender in lots, in eForms/OCDS terms, with a link to the official notice."""

    class Procedure(models.TextChoices):
        OPEN = "open", pgettext_lazy("procedure", "open procedure")
        RESTRICTED = "restricted", pgettext_lazy("procedure", "restricted procedure")
        NEGOTIATED = "negotiated", pgettext_lazy("procedure", "negotiated procedure")
        LOW_VALUE = "low_value", pgettext_lazy("procedure", "low-value contract")
        FRAMEWORK = "framework", pgettext_lazy("procedure", "framework agreement")

    public_id = models.CharField(max_length=32, unique=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="tenders")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    procedure = models.CharField(max_length=16, choices=Procedure.choices)
    deadline = models.DateTimeField()
    notice_url = models.URLField(blank=True)
    is_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.title


class Lot(models.Model):
    """A lot of a tender: CPV code, product, quantity over its period, delivery point and weighted award criteria."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    cpv = models.CharField(max_length=10)
    product = models.CharField(max_length=64)
    family = models.CharField(max_length=64)
    quantity = models.FloatField(help_text="Over the whole period")
    unit = models.CharField(max_length=8, choices=Offer.Unit.choices)
    months = models.JSONField(default=list)
    lon = models.FloatField()
    lat = models.FloatField()
    delivery_location = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    award_criteria = models.JSONField(default=list)
    organic = models.BooleanField(default=False)

    class Meta:
        ordering = ["tender", "number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"], name="unique_lot_number")]

    def __str__(self) -> str:
        return f"{self.lot_id} {self.title}"

    @property
    def lot_id(self) -> str:
        return f"LOT-{self.number:04d}"


class Interest(models.Model):
    """A producer's answer to a demand or a lot: a message and an optional price, seen by that buyer only."""

    public_id = models.CharField(max_length=32, unique=True)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="interests")
    demand = models.ForeignKey(Demand, null=True, blank=True, on_delete=models.CASCADE, related_name="interests")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.CASCADE, related_name="interests")
    message = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "demand"], name="unique_interest_per_demand"),
                       models.UniqueConstraint(fields=["offer", "lot"], name="unique_interest_per_lot")]

    def __str__(self) -> str:
        return f"{self.offer_id} → {self.demand_id or self.lot_id}"


class Registration(models.Model):
    """A registration number of a producer or buyer organisation (VAT/BCE, AFSCA, organic certificate), checked or not, by whom, when."""

    class Kind(models.TextChoices):
        VAT = "vat", pgettext_lazy("registration", "VAT / BCE number")
        AFSCA = "afsca", pgettext_lazy("registration", "AFSCA registration")
        ORGANIC = "organic", pgettext_lazy("registration", "organic certificate")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    number = models.CharField(max_length=40, help_text="Compact form: BCE digits, AFSCA digits, the certificate's number")
    certifier = models.CharField(max_length=100, blank=True, help_text="Organic certificates: the control body (Certisys, TÜV Nord…)")
    expires = models.DateField(null=True, blank=True)
    # Set by a moderator or an admin of the organisation who saw the certificate or the register; a new number clears it.
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="one_registration_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.number}"

    @property
    def checked(self) -> bool:
        return self.checked_at is not None
