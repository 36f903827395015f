"""The page that asks before a deletion: the map's, a persona's, a version's (documents/web)."""

from django.shortcuts import render


def confirm_delete(request, *, title: str, consequences: list[str], action, cancel, button):
    """Ask, saying what the deletion takes with it; the form posts to `action`. A page rather
    than a script's dialog, so that it works without JavaScript and a mistaken click does
    nothing."""
    context = {
        "title": title,
        "consequences": consequences,
        "action": action,
        "cancel": cancel,
        "button": button,
    }
    return render(request, "workshops/confirm_delete.html", context)
