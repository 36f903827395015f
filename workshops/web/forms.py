"""Page forms. They only shape and pre-check input; the services decide and write, and their
refusals come back onto the form with `apply`."""

from django import forms
from django.core.exceptions import ValidationError

from ..models import TITLE_MAX, JourneyMap, MapState, Persona, Role
from ..services import invites
from ..services.blueprints import TEMPLATE_CHOICES


def apply(form: forms.Form, service, **kwargs):
    """Call a service and put its refusal on the form's fields; return its result or None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return None


class WorkshopForm(forms.Form):
    name = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MapForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    template = forms.ChoiceField(choices=TEMPLATE_CHOICES, initial="b2c")
    persona = forms.ModelChoiceField(
        queryset=Persona.objects.none(), required=False, empty_label="No persona"
    )
    state = forms.ChoiceField(choices=MapState.choices, initial=MapState.CURRENT)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = workshop.personas.all()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        persona = data.pop("persona")
        return {**data, "persona_id": persona.pk if persona else None}


class PersonaForm(forms.Form):
    name = forms.CharField(max_length=TITLE_MAX)
    segment = forms.CharField(max_length=TITLE_MAX, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(forms.Form):
    # Who may be added is services.member_to_add's rule, which the page applies.
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(role.value, role.label) for role in invites.INVITE_ROLES], initial=Role.EDITOR
    )
    expires = forms.ChoiceField(
        label="Expires after",
        initial="7d",
        choices=[(key, label) for key, (label, _) in invites.EXPIRY_CHOICES.items()],
    )
    map = forms.ModelChoiceField(
        label="Opens the map",
        queryset=JourneyMap.objects.none(),
        required=False,
        empty_label="None: the workshop page",
        help_text="People who join land straight on this map's board.",
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["map"].queryset = workshop.maps.active().order_by("title", "id")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        chosen = data.pop("map")
        return {**data, "map_id": chosen.pk if chosen else None}


class GuestForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=invites.DISPLAY_NAME_MAX,
        help_text="Shown to the others on the board.",
    )
