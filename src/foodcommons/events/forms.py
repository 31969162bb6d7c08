"""The forms of events: an event for its organisers, a registration for anyone."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Organisation
from foodcommons.events.domain.programme import parse_programme, programme_text
from foodcommons.events.models import Event
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

BRUSSELS = ZoneInfo("Europe/Brussels")


class EventForm(forms.Form):
    """An event's fields, its programme as lines, its questions one a line; times are Brussels time."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, label=_("Organised by"))
    title_fr = forms.CharField(required=False, max_length=200, label=_("Title in French"))
    title_nl = forms.CharField(required=False, max_length=200, label=_("Title in Dutch"))
    title_en = forms.CharField(required=False, max_length=200, label=_("Title in English"))
    description_fr = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Description in French"))
    description_nl = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Description in Dutch"))
    description_en = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Description in English"))
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Starts (Brussels time)"))
    ends_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label=_("Ends (Brussels time)"))
    programme = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label=_("Programme"),
                                help_text=_("One line per session: 09:30-10:00 Welcome"))
    place = forms.CharField(required=False, max_length=32, label=_("Place of the commons (its id)"))
    address = forms.CharField(required=False, max_length=300, label=_("Or an address"))
    online_url = forms.URLField(required=False, assume_scheme="https", label=_("Or an online meeting link"))
    territory = forms.ModelChoiceField(queryset=Territory.objects.exclude(level="commune").order_by("code"), required=False, label=_("Territory"))
    work_streams = forms.ModelMultipleChoiceField(queryset=Event._meta.get_field("work_streams").related_model.objects.all(), required=False,
                                                  widget=forms.CheckboxSelectMultiple, label=_("Work streams"))
    documents = forms.CharField(required=False, label=_("Documents after the event (their ids in the library, separated by spaces)"))
    capacity = forms.IntegerField(required=False, min_value=1, label=_("Seats (empty: no limit)"))
    requires_approval = forms.BooleanField(required=False, label=_("The organisers approve each registration"))
    questions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Questions to registrants"),
                                help_text=_("One question per line"))
    status = forms.ChoiceField(choices=Event.Status.choices, initial=Event.Status.PUBLISHED, label=_("Status"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations or []])

    def clean_place(self):
        """Return the place of the commons named by its id, or None."""
        public_id = self.cleaned_data.get("place", "").strip()
        if not public_id:
            return None
        place = Place.objects.filter(public_id=public_id).first()
        if place is None:
            raise forms.ValidationError(_("No place of the commons has this id."))
        return place

    def clean_documents(self):
        """Return the documents of the library named by their ids (the model through the relation: knowledge is a sibling app)."""
        ids = self.cleaned_data.get("documents", "").split()
        model = Event._meta.get_field("documents").related_model
        found = list(model.objects.filter(public_id__in=ids))
        if len(found) != len(set(ids)):
            raise forms.ValidationError(_("No document of the library has one of these ids."))
        return found

    def clean(self):
        """Read the programme on the event's day and the questions."""
        data = super().clean()
        starts = data.get("starts_at")
        sessions = []
        if starts is not None:
            sessions, errors = parse_programme(data.get("programme", ""), day=starts.astimezone(BRUSSELS).date(), zone=BRUSSELS)
            for error in errors:
                self.add_error("programme", error.reason)
        data["sessions"] = [{"starts_at": s["starts_at"], "ends_at": s["ends_at"], "title_fr": s["title"], "title_nl": s["title"], "title_en": s["title"]}
                            for s in sessions]
        data["questions"] = [q.strip() for q in data.get("questions", "").splitlines() if q.strip()]
        return data

    @staticmethod
    def initial_of(event: Event) -> dict:
        """Return the form's initial values for an event."""
        return {
            **{f: getattr(event, f) for f in ("organisation", "title_fr", "title_nl", "title_en", "description_fr", "description_nl",
                                              "description_en", "address", "online_url", "territory", "capacity", "requires_approval", "status")},
            "starts_at": event.starts_at.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": event.ends_at.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M"),
            "place": event.place.public_id if event.place else "",
            "work_streams": list(event.work_streams.all()),
            "documents": " ".join(d.public_id for d in event.documents.all()),
            "questions": "\n".join(event.questions or []),
            "programme": programme_text([(s.starts_at, s.ends_at, s.title()) for s in event.sessions.all()], BRUSSELS),
        }


class RegistrationForm(forms.Form):
    """A registration: name, e-mail (unless signed in) and the event's questions."""

    name = forms.CharField(required=False, max_length=200, label=_("Your name"))
    email = forms.EmailField(required=False, label=_("Your e-mail address"))

    def __init__(self, *args, questions=(), signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if not signed_in:
            self.fields["email"].required = True
            self.fields["email"].help_text = _("We send you a link to confirm your registration.")
        else:
            del self.fields["email"]
        for i, question in enumerate(self.questions):
            self.fields[f"answer_{i}"] = forms.CharField(required=False, max_length=1000, label=question, widget=forms.Textarea(attrs={"rows": 2}))

    def answers(self) -> list[str]:
        """Return the answers in the order of the questions."""
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.questions))]
