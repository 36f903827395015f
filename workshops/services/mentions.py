"""`@name` in a comment: who it names, and keeping a comment's mentions (docs/api.md, "Comments").

How a name is matched, case ignored, among the workshop's members (a guest whose link has ended
is no longer one):
- by username: `@bob`, `@alex.k`;
- or by display name written without its spaces: `@Alice` for "Alice", `@AliceMartin` for
  "Alice Martin" (a guest's name is their display name).
A username wins over a display name. A display name two members share names neither: the
comment is refused and told to use the username. A mention that names no member (someone
outside the workshop included) is refused, naming `text`.

An `@` right after a letter or a digit is not a mention (ann@shop.example is an address), and
a trailing full stop or hyphen is punctuation, not part of the name ("thanks @bob.").
"""

import re

from ..models import Membership, Mention, live_membership
from ..serializers import display_name
from .checks import refuse

MENTION = re.compile(r"(?<![\w@])@(\w[\w.\-]*)")
MENTIONS_MAX = 20


def names_in(text: str) -> list[str]:
    """The names mentioned, each once, in the order written."""
    found = [match.rstrip(".-") for match in MENTION.findall(text)]
    return list(dict.fromkeys(name for name in found if name))


def squeezed(name: str) -> str:
    return "".join(name.split()).casefold()


def mentioned(workshop, text: str, *, author) -> list:
    """The members `text` mentions, besides its author; or a refusal naming `text`."""
    names = names_in(text)
    if not names:
        return []
    if len(names) > MENTIONS_MAX:
        refuse("text", f"At most {MENTIONS_MAX} people can be mentioned in one comment.")
    members = [
        membership.user
        for membership in Membership.objects.filter(workshop=workshop)
        .filter(live_membership())
        .select_related("user")
    ]
    people = {person.pk: person for name in names if (person := _member(name, members))}
    people.pop(author.pk, None)  # naming oneself tells nobody anything
    return list(people.values())


def _member(name: str, members: list):
    wanted = name.casefold()
    by_username = [person for person in members if person.username.casefold() == wanted]
    if by_username:
        return by_username[0]
    by_name = [person for person in members if squeezed(display_name(person)) == wanted]
    if len(by_name) > 1:
        usernames = " or ".join(f"@{person.username}" for person in by_name)
        refuse("text", f"@{name} could be more than one member: write {usernames}.")
    if not by_name:
        refuse(
            "text",
            f"@{name} is not a member of this workshop: mention a member by their username or "
            "their name without spaces (@bob, @AliceMartin).",
        )
    return by_name[0]


def mentions_set(comment, people: list) -> None:
    """Make the comment's mentions those of `people`: a name taken out goes from their list, a
    name kept keeps its mention (and so is not mailed again), a new one is added."""
    wanted = {person.pk for person in people}
    comment.mentions.exclude(user_id__in=wanted).delete()
    kept = set(comment.mentions.values_list("user_id", flat=True))
    Mention.objects.bulk_create(
        Mention(comment=comment, user_id=pk) for pk in sorted(wanted - kept)
    )
