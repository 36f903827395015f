"""A new piece's refusal in plain words and whole, so that the board's evidence form can show
every problem next to its field after one try.

DRF checks every field of a body at once, but the kind's own rules (evidence/fields.py: what a
piece must hold, how long a text may be) ran only once the types were right, in the service:
a metric form with its name and value both empty heard of the value, then of the name, each
in DRF's stock words ("This field may not be null."). Here the input itself holds the required
fields, in the form's words, and a refusal of the types is completed with what the kind's rules
say of the other fields.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as RuleRefusal
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty

from workshops.api.base import TextField

from .. import fields

# What to say of a required field left empty, in the words of the board's evidence form.
MISSING = {
    "name": "Say what is measured, for example “Lead form conversion”.",
    "value": "Give the value, as a number.",
    "question": "Give the question that was asked.",
    "text": "Give the words that were said.",
    "url": "Give the link to the recording, starting with https://.",
}
NOT_A_NUMBER = "Give the value as a number, such as 4.5 or 1200."


def missing(name: str) -> dict:
    """DRF's error messages for a required field that is absent, null or blank."""
    words = MISSING.get(name, "Fill this in.")
    return {"required": words, "null": words, "blank": words}


class RequiredText(TextField):
    """Text that must hold more than spaces: refused with the body's other problems, not once
    they are mended."""

    def __init__(self, *, name: str, **options):
        super().__init__(nonblank=True, error_messages=missing(name), **options)

    def run_validation(self, data=empty):
        # A blank text passes TextField (allow_blank: the services decide), so look first.
        if isinstance(data, str) and not data.strip():
            self.fail("blank")
        return super().run_validation(data)


def refusal_in_full(kind: str, body, refusal: ValidationError) -> ValidationError:
    """DRF's refusal of a new piece's types, with what the kind's rules say of the fields it
    accepted (too long, in the future...): every problem at once."""
    problems = refusal.detail
    if not isinstance(problems, dict) or not isinstance(body, Mapping):
        return refusal
    checks = {**fields.COMMON, **fields.FIELDS[kind]}
    accepted = {name: body[name] for name in checks if name in body and name not in problems}
    try:
        fields.clean(kind, accepted)
    except RuleRefusal as more:
        # The required fields DRF refused read as missing here too: DRF's words win.
        return ValidationError({**more.message_dict, **problems})
    return refusal
