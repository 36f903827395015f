"""The map as a share link shows it, to anyone who holds the link (docs/sharing.md): the page
(the board read-only, and its stage-by-stage walkthrough), the board as JSON that the page asks
for again every few seconds to stay live, the map as a picture when the link allows it, and the
evidence pictures when it shows the evidence.

Every answer of these routes:
- is the same empty 404 for a token that is wrong, expired or revoked, and for what the link
  does not offer: whoever tries learns nothing of which;
- carries `X-Robots-Tag: noindex` (the page its meta tag too), `Cache-Control: no-store` (a
  revoked link shows nothing at once, and no cache keeps a copy) and `Referrer-Policy:
  no-referrer` (the token is in the address);
- reads no session and sets no cookie: the page is rendered without the request (no user, no
  CSRF token, no messages), so a visitor is given nothing to keep and a member stays who they
  were;
- counts against the address's share rate (sharing/rates.py), the picture against the export
  rate too: 429 with Retry-After past it.
"""

import functools

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from evidence import images
from evidence.models import Evidence, Kind
from workshops.models import MapState

from ..pdf import png
from ..sharing.board import shared_board, shared_pieces
from ..sharing.links import link_by_token
from ..sharing.rates import over_share_rate

PICTURE_FIELDS = ("image", "thumbnail")
HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def nothing() -> HttpResponse:
    """The one answer for a link that is not there, or does not offer what was asked."""
    return HttpResponse(b"", status=404, content_type="text/plain")


def too_many(wait: float) -> HttpResponse:
    seconds = max(1, round(wait))
    response = HttpResponse(
        f"Too many requests from your address; try again in {seconds} seconds.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response


def shared(*, also: tuple[str, ...] = ()):
    """A view of a share link: counted, then given the open link the token names (or answered
    with nothing), its answer sent with HEADERS. `also`: the rates it counts against too."""

    def decorate(view):
        @require_safe
        @functools.wraps(view)
        def answer(request, token: str, **kwargs):
            wait = over_share_rate(request, also=also)
            link = link_by_token(token) if wait is None else None
            if wait is not None:
                response = too_many(wait)
            elif link is None:
                response = nothing()
            else:
                response = view(request, link, token, **kwargs)
            for header, value in HEADERS.items():
                response[header] = value
            return response

        return answer

    return decorate


@shared()
def share_page(request, link, token: str):
    board = shared_board(link)
    context = {
        "link": link,
        "board": board,
        "pieces": shared_pieces(link, token),
        "state_label": MapState(board["state"]).label,
        "png_url": reverse("share-png", args=[token]) if link.allow_png else "",
        "board_url": reverse("share-board", args=[token]),
    }
    # Without the request: no context processor may read the session or hand out a CSRF token.
    return HttpResponse(render_to_string("documents/share.html", context))


@shared()
def share_board(request, link, token: str):
    """{board, pieces} as the page embeds them; 204 while the map is still at ?revision=N,
    which costs nothing more than finding the link (it comes with its map)."""
    revision = request.GET.get("revision", "")
    if revision and not revision.isdigit():
        return _plain("revision: give the whole number of the revision you have.", 400)
    if revision and int(revision) == link.map.revision:
        return HttpResponse(status=204)
    body = {"board": shared_board(link), "pieces": shared_pieces(link, token)}
    return JsonResponse(body)


@shared(also=("export",))
def share_png(request, link, token: str):
    if not link.allow_png:
        return nothing()
    try:
        return png.png_download(link.map, request.GET)
    except ValidationError as error:
        return _plain(" ".join(error.messages), 400)
    except png.TooBig as error:
        return _plain(str(error), 409)


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@shared()
def share_image(request, link, token: str, pk: int, which: str):
    """A picture of the map's evidence, by the link that shows it: none on a private card."""
    if not link.include_evidence or which not in PICTURE_FIELDS:
        return nothing()
    piece = (
        Evidence.objects.filter(map=link.map_id, pk=pk, kind=Kind.IMAGE)
        .exclude(card__private=True)
        .first()
    )
    file = getattr(piece, which) if piece else None
    if not file or not file.storage.exists(file.name):
        return nothing()
    response = FileResponse(file.open("rb"), content_type=images.content_type(file.name))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
