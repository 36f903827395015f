"""Page forms: they shape the input; notifications/webhooks.py and preferences.py decide."""

from django import forms

from ..addresses import URL_MAX
from ..models import Event, Format

FORMAT_CHOICES = [("", "Recognise it from the URL (Slack's, or JSON)"), *Format.choices]


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=URL_MAX,
        help_text="Where to POST, http or https; a Slack incoming-webhook URL gets Slack's format.",
    )
    events = forms.MultipleChoiceField(
        label="Send",
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Event.VERSION_SAVED, Event.VOTE_CLOSED],
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)
    active = forms.BooleanField(label="On", required=False, initial=True)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["format"] = data["format"] or None
        return data


class DigestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Where the digest goes; without one, none is sent.",
    )
    weekly_digest = forms.BooleanField(
        label="Send me the weekly digest",
        required=False,
        help_text="Each Monday, for the workshops you facilitate: maps due for their quarterly "
        "review and evidence that has gone stale.",
    )
