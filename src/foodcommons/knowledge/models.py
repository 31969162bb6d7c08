"""The knowledge commons: work streams, projects, documents and their versions, the directory of platforms, expertise."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import pgettext_lazy

from foodcommons.collaboration.models import Organisation
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

LANGUAGES = ("fr", "nl", "en")


def in_language(obj, field: str, language: str | None = None) -> str:
    """Return `obj.<field>_<language>` (default: the active language), else the first other language that has a text."""
    lang = (language or translation.get_language() or "fr")[:2]
    return getattr(obj, f"{field}_{lang}", "") or next((getattr(obj, f"{field}_{o}") for o in LANGUAGES if getattr(obj, f"{field}_{o}")), "")


class WorkStream(models.Model):
    """A theme the projects share ("chantier"): diagnostics, public procurement, légumeries…"""

    slug = models.SlugField(max_length=64, unique=True)
    name_fr = models.CharField(max_length=120)
    name_nl = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def name(self, language: str | None = None) -> str:
        """Return the name in `language`."""
        return in_language(self, "name", language)


class Document(models.Model):
    """A document of the library: uploaded files (in versions) or a link, with its metadata and searchable text."""

    class Kind(models.TextChoices):
        DIAGNOSTIC = "diagnostic", pgettext_lazy("document kind", "territorial diagnostic")
        STUDY = "study", pgettext_lazy("document kind", "study")
        METHODOLOGY = "methodology", pgettext_lazy("document kind", "methodology")
        PROCUREMENT_GUIDE = "procurement-guide", pgettext_lazy("document kind", "public procurement guide")
        MINUTES = "minutes", pgettext_lazy("document kind", "minutes")
        GUIDANCE_NOTE = "guidance-note", pgettext_lazy("document kind", "guidance note")
        PRESENTATION = "presentation", pgettext_lazy("document kind", "presentation")
        OTHER = "other", pgettext_lazy("document kind", "other")

    public_id = models.CharField(max_length=32, unique=True)
    title_fr = models.CharField(max_length=300, blank=True)
    title_nl = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    description_fr = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents")
    territories = models.ManyToManyField(Territory, blank=True, related_name="documents")
    work_streams = models.ManyToManyField(WorkStream, blank=True, related_name="documents")
    authors = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=5, default="fr")
    licence = models.CharField(max_length=64, blank=True)
    link_url = models.URLField(blank=True, max_length=500)
    # Folded words of the metadata and of every version's text, space-framed: " word word " (see docs/knowledge.md).
    search_text = models.TextField(blank=True, default="")
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return in_language(self, "title", language)

    def description(self, language: str | None = None) -> str:
        """Return the description in `language`, falling back to another."""
        return in_language(self, "description", language)

    def current(self) -> "DocumentVersion | None":
        """Return the latest version (from the prefetched versions when there are)."""
        return next(iter(self.versions.all()), None)


def _version_path(instance: "DocumentVersion", filename: str) -> str:
    return f"knowledge/documents/{instance.document.public_id}/{instance.number}/{filename}"


def _preview_path(instance: "DocumentVersion", filename: str) -> str:
    return f"knowledge/documents/{instance.document.public_id}/{instance.number}/preview/{filename}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; the highest number is the current one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_version_path, max_length=400)
    filename = models.CharField(max_length=200)
    media_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    # A PNG of the first page (PDF) or a thumbnail (images), made by a job after the upload; empty for other types.
    preview = models.FileField(upload_to=_preview_path, max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document.public_id} v{self.number}"


class Project(models.Model):
    """A territorial food project: who carries it, where, on which work streams, with its places, documents and events."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("project status", "planned")
        ONGOING = "ongoing", pgettext_lazy("project status", "ongoing")
        FINISHED = "finished", pgettext_lazy("project status", "finished")

    public_id = models.CharField(max_length=32, unique=True)
    title_fr = models.CharField(max_length=300, blank=True)
    title_nl = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    summary_fr = models.TextField(blank=True)
    summary_nl = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ONGOING)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True, max_length=500)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="projects")
    territories = models.ManyToManyField(Territory, blank=True, related_name="projects")
    work_streams = models.ManyToManyField(WorkStream, blank=True, related_name="projects")
    places = models.ManyToManyField(Place, blank=True, related_name="projects")
    documents = models.ManyToManyField(Document, blank=True, related_name="projects")
    # A lazy reference: events is a sibling layer (imports | events | knowledge), so no Python import of it.
    events = models.ManyToManyField("events.Event", blank=True, related_name="projects")
    search_text = models.TextField(blank=True, default="")
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_fr", "title_nl", "title_en", "pk"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return in_language(self, "title", language)

    def summary(self, language: str | None = None) -> str:
        """Return the summary in `language`, falling back to another."""
        return in_language(self, "summary", language)


class ProjectContact(models.Model):
    """A person to contact about a project; only those marked public are ever shown to visitors."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_public = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.project.public_id})"


class Platform(models.Model):
    """An existing database or platform for local supply or food (the "répertoire")."""

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", pgettext_lazy("update frequency", "continuously")
        DAILY = "daily", pgettext_lazy("update frequency", "daily")
        WEEKLY = "weekly", pgettext_lazy("update frequency", "weekly")
        MONTHLY = "monthly", pgettext_lazy("update frequency", "monthly")
        YEARLY = "yearly", pgettext_lazy("update frequency", "yearly")
        IRREGULAR = "irregular", pgettext_lazy("update frequency", "irregularly")
        UNKNOWN = "unknown", pgettext_lazy("update frequency", "unknown")

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # Blank when the source names a platform without giving its address.
    url = models.URLField(blank=True, max_length=500)
    operator = models.CharField(max_length=200, blank=True)
    territories = models.ManyToManyField(Territory, blank=True, related_name="platforms")
    # The area covered, in words, when it is not a Belgian territory.
    coverage_fr = models.CharField(max_length=200, blank=True)
    coverage_nl = models.CharField(max_length=200, blank=True)
    coverage_en = models.CharField(max_length=200, blank=True)
    lists_fr = models.TextField(blank=True)
    lists_nl = models.TextField(blank=True)
    lists_en = models.TextField(blank=True)
    licence = models.CharField(max_length=120, blank=True)
    api_url = models.URLField(blank=True, max_length=500)
    formats = models.CharField(max_length=200, blank=True)
    update_frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.UNKNOWN)
    # The format key of a foodcommons import connector (foodcommons.imports.connectors.registry.FORMATS), if there is one.
    connector = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def lists(self, language: str | None = None) -> str:
        """Return what the platform lists, in `language`."""
        return in_language(self, "lists", language)

    def coverage(self, language: str | None = None) -> str:
        """Return the area covered, in words, in `language`."""
        return in_language(self, "coverage", language)


class ExpertiseOffer(models.Model):
    """A facilitator's service: who offers what, for whom, where, at what price; the contact e-mail stays private."""

    class Need(models.TextChoices):
        TRAINING = "training", pgettext_lazy("need", "training")
        FUNDING = "funding", pgettext_lazy("need", "funding")
        MICRO_CREDIT = "micro-credit", pgettext_lazy("need", "micro-credit")
        LEGAL = "legal", pgettext_lazy("need", "legal advice")
        PROCUREMENT = "procurement", pgettext_lazy("need", "public procurement help")
        FACILITATION = "facilitation", pgettext_lazy("need", "facilitation")
        TECHNICAL = "technical", pgettext_lazy("need", "technical advice")

    class Price(models.TextChoices):
        FREE = "free", pgettext_lazy("price model", "free")
        PAID = "paid", pgettext_lazy("price model", "paid")
        MIXED = "mixed", pgettext_lazy("price model", "free and paid")
        UNKNOWN = "unknown", pgettext_lazy("price model", "not stated")

    class Sector(models.TextChoices):
        PUBLIC = "public", pgettext_lazy("sector", "public body")
        PRIVATE = "private", pgettext_lazy("sector", "private or non-profit")
        UNKNOWN = "unknown", pgettext_lazy("sector", "not stated")

    public_id = models.CharField(max_length=32, unique=True)
    provider = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="expertise_offers")
    title_fr = models.CharField(max_length=300, blank=True)
    title_nl = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    description_fr = models.TextField(blank=True)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    audience_fr = models.CharField(max_length=300, blank=True)
    audience_nl = models.CharField(max_length=300, blank=True)
    audience_en = models.CharField(max_length=300, blank=True)
    needs = models.JSONField(default=list, blank=True)
    territories = models.ManyToManyField(Territory, blank=True, related_name="expertise_offers")
    price_model = models.CharField(max_length=8, choices=Price.choices, default=Price.UNKNOWN)
    sector = models.CharField(max_length=8, choices=Sector.choices, default=Sector.UNKNOWN)
    url = models.URLField(blank=True, max_length=500)
    # Where "ask for help" sends requests: never shown, never exported.
    contact_email = models.EmailField(blank=True)
    contact_language = models.CharField(max_length=5, default="fr")
    source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "pk"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.title()}"

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return in_language(self, "title", language)

    def description(self, language: str | None = None) -> str:
        """Return the description in `language`, falling back to another."""
        return in_language(self, "description", language)

    def audience(self, language: str | None = None) -> str:
        """Return for whom the offer is, in `language`."""
        return in_language(self, "audience", language)

    def need_labels(self) -> list[str]:
        """Return the labels of the needs the offer answers."""
        labels = dict(self.Need.choices)
        return [str(labels[n]) for n in self.needs if n in labels]


class NeedCount(models.Model):
    """How many requests for help of one kind came from one territory: a count, nothing about who asked."""

    need = models.CharField(max_length=16, choices=ExpertiseOffer.Need.choices)
    # A NIS code, or "" when the person named no territory (a string: NULLs would defeat the unique constraint).
    territory_code = models.CharField(max_length=5, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "territory_code"], name="unique_need_count")]

    def __str__(self) -> str:
        return f"{self.need} in {self.territory_code or '-'}: {self.count}"


class Exchange(models.Model):
    """A question or a need a project (or an organisation) posts for the others to answer."""

    class Kind(models.TextChoices):
        QUESTION = "question", pgettext_lazy("exchange kind", "question")
        NEED = "need", pgettext_lazy("exchange kind", "need")

    public_id = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(max_length=300)
    body = models.TextField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exchanges")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges")
    work_streams = models.ManyToManyField(WorkStream, blank=True, related_name="exchanges")
    territory = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    """An answer to an exchange: public unless its author marks it private (then only the askers and the author see it)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="exchange_answers")
    body = models.TextField()
    is_private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"answer to {self.exchange.public_id}"


class NewsletterIssue(models.Model):
    """An issue of the newsletter: composed by an organisation's editors from what is new, sent to the subscribers in their language."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("newsletter status", "draft")
        SENT = "sent", pgettext_lazy("newsletter status", "sent")

    public_id = models.CharField(max_length=32, unique=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="newsletter_issues")
    title_fr = models.CharField(max_length=200, blank=True)
    title_nl = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    intro_fr = models.TextField(blank=True)
    intro_nl = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)  # how many e-mails were queued: a number, never the addresses

    class Meta:
        ordering = ["-sent_at", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return in_language(self, "title", language)

    def intro(self, language: str | None = None) -> str:
        """Return the introduction in `language`, falling back to another."""
        return in_language(self, "intro", language)


class NewsletterItem(models.Model):
    """One item of an issue: a project, event, document or offer of expertise, with the editor's words in FR/NL/EN."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16)
    ref = models.CharField(max_length=32)
    path = models.CharField(max_length=300)
    title_fr = models.CharField(max_length=300, blank=True)
    title_nl = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    text_fr = models.TextField(blank=True)
    text_nl = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "kind", "ref"], name="unique_newsletter_item")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"

    def title(self, language: str | None = None) -> str:
        """Return the title in `language`, falling back to another."""
        return in_language(self, "title", language)

    def text(self, language: str | None = None) -> str:
        """Return the text in `language`, falling back to another."""
        return in_language(self, "text", language)
