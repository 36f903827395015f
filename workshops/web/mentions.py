"""The page of one's mentions: the comments that name them, newest first, each with a link that
opens its board on the thread (workshops/mentions.py says which they may see)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..mentions import mentions_of


@login_required
def mention_list(request):
    return render(request, "workshops/mentions.html", {"mentions": mentions_of(request.user)})
