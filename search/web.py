"""The search page: the box in every page's header sends its words here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from workshops.rates import over_rate
from workshops.web.accounts import over_the_rate

from .query import QUERY_MAX
from .searching import search


@login_required
def search_page(request):
    text = request.GET.get("q", "")
    context = {"q": text, "query_max": QUERY_MAX, "found": None, "error": None}
    if not text.strip():
        return render(request, "search/search.html", context)
    wait = over_rate(request, "search")
    if wait is not None:
        return over_the_rate(request, wait, "Too many searches for now.")
    try:
        context["found"] = search(request.user, text, archived=request.GET.get("archived") == "1")
    except ValidationError as refusal:
        context["error"] = refusal.messages[0]
    status = 400 if context["error"] else 200
    return render(request, "search/search.html", context, status=status)
