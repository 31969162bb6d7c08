"""The forms of the knowledge commons: a project, a document (a file or a link), a new version, a request for help."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Organisation
from foodcommons.knowledge.models import Document, Exchange, ExpertiseOffer, Project, WorkStream
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

LANGUAGE_CHOICES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English")), ("de", _("German"))]


def _territories():
    return Territory.objects.defer("geometry").order_by("level", "code")


class _Territories(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name()


class _Territory(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name()


class _Streams(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name()


def _by_ids(model, text: str, error: str) -> list:
    ids = text.split()
    found = list(model.objects.filter(public_id__in=ids))
    if len(found) != len(set(ids)):
        raise forms.ValidationError(error)
    return found


class ProjectForm(forms.Form):
    """A project's fields; its places by id, its contacts one a line ("name; role; e-mail; phone; public")."""

    organisations = forms.ModelMultipleChoiceField(queryset=Organisation.objects.none(), label=_("Carried by"))
    title_fr = forms.CharField(required=False, max_length=300, label=_("Title in French"))
    title_nl = forms.CharField(required=False, max_length=300, label=_("Title in Dutch"))
    title_en = forms.CharField(required=False, max_length=300, label=_("Title in English"))
    summary_fr = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary in French"))
    summary_nl = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary in Dutch"))
    summary_en = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary in English"))
    territories = _Territories(queryset=_territories(), required=False, label=_("Territories"))
    work_streams = _Streams(queryset=WorkStream.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Work streams"))
    status = forms.ChoiceField(choices=Project.Status.choices, initial=Project.Status.ONGOING, label=_("Status"))
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Starts on"))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Ends on"))
    url = forms.URLField(required=False, assume_scheme="https", label=_("Web site"))
    places = forms.CharField(required=False, label=_("Places of the commons (their ids, separated by spaces)"))
    documents = forms.CharField(required=False, label=_("Documents of the library (their ids, separated by spaces)"))
    events = forms.CharField(required=False, label=_("Events (their ids, separated by spaces)"))
    contacts = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Contacts"),
                               help_text=_("One a line: name; role; e-mail; phone; public. Without the word public, a contact is only shown to the editors."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations or []])

    def clean_places(self):
        """Return the places named by their ids."""
        ids = self.cleaned_data.get("places", "").split()
        found = list(Place.objects.filter(public_id__in=ids))
        if len(found) != len(set(ids)):
            raise forms.ValidationError(_("No place of the commons has one of these ids."))
        return found

    def clean_documents(self):
        """Return the documents named by their ids."""
        return _by_ids(Document, self.cleaned_data.get("documents", ""), _("No document of the library has one of these ids."))

    def clean_events(self):
        """Return the events named by their ids (the model through the relation: events is a sibling app)."""
        return _by_ids(Project._meta.get_field("events").related_model, self.cleaned_data.get("events", ""), _("No event has one of these ids."))

    def clean_contacts(self):
        """Return the contacts, one a line."""
        contacts = []
        for line in self.cleaned_data.get("contacts", "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                continue
            parts += [""] * (5 - len(parts))
            contacts.append({"name": parts[0], "role": parts[1], "email": parts[2], "phone": parts[3], "is_public": parts[4].lower() in ("public", "publiek")})
        return contacts

    @staticmethod
    def initial_of(project: Project) -> dict:
        """Return the form's initial values for a project."""
        return {**{f: getattr(project, f) for f in ("title_fr", "title_nl", "title_en", "summary_fr", "summary_nl", "summary_en", "status",
                                                    "starts_on", "ends_on", "url")},
                "organisations": list(project.organisations.all()), "territories": list(project.territories.all()),
                "work_streams": list(project.work_streams.all()), "places": " ".join(p.public_id for p in project.places.all()),
                "documents": " ".join(d.public_id for d in project.documents.all()), "events": " ".join(e.public_id for e in project.events.all()),
                "contacts": "\n".join("; ".join([c.name, c.role, c.email, c.phone, "public" if c.is_public else ""]).rstrip("; ")
                                      for c in project.contacts.all())}


class DocumentForm(forms.Form):
    """A document's metadata, with a file to upload or a link."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Published by"))
    title_fr = forms.CharField(required=False, max_length=300, label=_("Title in French"))
    title_nl = forms.CharField(required=False, max_length=300, label=_("Title in Dutch"))
    title_en = forms.CharField(required=False, max_length=300, label=_("Title in English"))
    description_fr = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description in French"))
    description_nl = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description in Dutch"))
    description_en = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description in English"))
    kind = forms.ChoiceField(choices=Document.Kind.choices, label=_("Kind of document"))
    territories = _Territories(queryset=_territories(), required=False, label=_("Territories"))
    work_streams = _Streams(queryset=WorkStream.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Work streams"))
    authors = forms.CharField(required=False, max_length=300, label=_("Authors"))
    published_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Date"))
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Language of the document"))
    licence = forms.CharField(required=False, max_length=64, label=_("Licence"), help_text=_("An SPDX identifier such as CC-BY-4.0, or a URL"))
    file = forms.FileField(required=False, label=_("File (PDF, ODT, DOCX, XLSX, PNG, JPEG or WebP)"))
    link_url = forms.URLField(required=False, assume_scheme="https", label=_("Or a link to the document"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations or []])


class VersionForm(forms.Form):
    """A new file for a document, with a note saying what changed."""

    file = forms.FileField(label=_("New file"))
    note = forms.CharField(required=False, max_length=300, label=_("What changed"))


class HelpForm(forms.Form):
    """A request for help sent to a facilitator; only its kind and territory are kept (as counts)."""

    need = forms.ChoiceField(choices=ExpertiseOffer.Need.choices, label=_("What do you need?"))
    territory = _Territory(queryset=_territories(), required=False, label=_("Your territory"))
    project = forms.CharField(required=False, max_length=300, label=_("Your project (optional)"))
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=4000, label=_("Your request"))
    name = forms.CharField(required=False, max_length=200, label=_("Your name"))
    email = forms.EmailField(label=_("Your e-mail address"), help_text=_("The facilitator answers you at this address; we do not keep it."))


class _Project(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title()


class ExchangeForm(forms.Form):
    """A question or a need of an organisation, about one of its projects if it likes."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Asked by"))
    project = _Project(queryset=Project.objects.none(), required=False, label=_("About the project (optional)"))
    kind = forms.ChoiceField(choices=Exchange.Kind.choices, label=_("A question or a need"))
    title = forms.CharField(max_length=300, label=_("In one sentence"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Details"))
    territory = _Territory(queryset=_territories(), required=False, label=_("Territory"))
    work_streams = _Streams(queryset=WorkStream.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Work streams"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations or []]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["project"].queryset = Project.objects.filter(organisations__in=ids).distinct()


class AnswerForm(forms.Form):
    """An answer, public unless marked private."""

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10000, label=_("Your answer"))
    is_private = forms.BooleanField(required=False, label=_("Private: only the people who asked see it"))
