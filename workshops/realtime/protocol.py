"""The live board's protocol (docs/realtime.md): which operations a client may send, the
arguments each takes, parsing a frame, and the one place where a refusal becomes an error reply.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

from .. import services
from ..services import comments, facilitation, links, opportunities, voting

MAX_MESSAGE_BYTES = 64 * 1024
MAX_ID_LENGTH = 100
MAX_DEPTH = 16  # an operation is an object holding flat data: anything deeper is not one


class ProtocolError(Exception):
    def __init__(self, code: str, message: str, fields: dict | None = None, **extra):
        super().__init__(message)
        self.code, self.message, self.fields, self.extra = code, message, fields, extra


# --- operations and their arguments ---------------------------------------------------------

INT, TEXT, MAYBE_INT, BOOL = "int", "text", "int or null", "true or false"
LIST = "a list"  # its items are the service's to check (ticket links)

# The protocol names objects ("card": 31); the services take ids ("card_id": 31).
SERVICE_ARGUMENT = {
    "card": "card_id",
    "stage": "stage_id",
    "lane": "lane_id",
    "round": "round_id",
    "comment": "comment_id",
    "link": "link_id",
    "opportunity": "opportunity_id",
    "pain_point": "pain_point_id",
}


@dataclass(frozen=True)
class Operation:
    service: object
    required: dict = field(default_factory=dict)
    optional: dict = field(default_factory=dict)


TEXT_EDIT = {"base_revision": MAYBE_INT}
OPERATIONS = {
    "card.create": Operation(
        services.card_create,
        {"stage": INT, "lane": INT},
        {
            "text": TEXT,
            "position": MAYBE_INT,
            "emotion_score": MAYBE_INT,
            "severity": MAYBE_INT,
            "channel": TEXT,
        },
    ),
    "card.update": Operation(
        services.card_update,
        {"card": INT},
        {
            "text": TEXT,
            "channel": TEXT,
            "emotion_score": MAYBE_INT,
            "severity": MAYBE_INT,
            **TEXT_EDIT,
        },
    ),
    "card.move": Operation(
        services.card_move, {"card": INT, "stage": INT, "lane": INT, "position": INT}
    ),
    "card.delete": Operation(services.card_delete, {"card": INT}),
    "stage.create": Operation(
        services.stage_create, {"title": TEXT}, {"description": TEXT, "position": MAYBE_INT}
    ),
    "stage.update": Operation(
        services.stage_update, {"stage": INT}, {"title": TEXT, "description": TEXT, **TEXT_EDIT}
    ),
    "stage.move": Operation(services.stage_move, {"stage": INT, "position": INT}),
    "stage.delete": Operation(services.stage_delete, {"stage": INT}),
    "lane.create": Operation(
        services.lane_create, {"title": TEXT}, {"kind": TEXT, "position": MAYBE_INT}
    ),
    "lane.update": Operation(
        services.lane_update, {"lane": INT}, {"title": TEXT, "kind": TEXT, **TEXT_EDIT}
    ),
    "lane.move": Operation(services.lane_move, {"lane": INT, "position": INT}),
    "lane.delete": Operation(services.lane_delete, {"lane": INT}),
    "map.update": Operation(
        services.map_update, {}, {"title": TEXT, "description": TEXT, **TEXT_EDIT}
    ),
    # The facilitator's board controls (services/facilitation.py).
    "board.lock": Operation(facilitation.board_lock),
    "board.unlock": Operation(facilitation.board_unlock),
    "timer.start": Operation(facilitation.timer_start, {}, {"duration": MAYBE_INT}),
    "timer.pause": Operation(facilitation.timer_pause),
    "timer.reset": Operation(facilitation.timer_reset),
    "follow.start": Operation(facilitation.follow_start),
    "follow.stop": Operation(facilitation.follow_stop),
    "present.start": Operation(facilitation.present_start, {}, {"stage": MAYBE_INT}),
    "present.goto": Operation(facilitation.present_goto, {"stage": INT}),
    "present.stop": Operation(facilitation.present_stop),
    # Dot voting and private brainstorming (services/voting.py).
    "vote.open": Operation(voting.vote_open, {"dots_per_person": INT}),
    "vote.place": Operation(voting.vote_place, {"round": INT, "card": INT}),
    "vote.remove": Operation(voting.vote_remove, {"round": INT, "card": INT}),
    "vote.close": Operation(voting.vote_close, {"round": INT}),
    "private.start": Operation(voting.private_start),
    "private.reveal": Operation(voting.private_reveal),
    # Comments on a card or a stage (services/comments.py).
    "comment.create": Operation(
        comments.comment_create, {"text": TEXT}, {"card": INT, "stage": INT}
    ),
    "comment.update": Operation(comments.comment_update, {"comment": INT, "text": TEXT}),
    "comment.resolve": Operation(comments.comment_resolve, {"comment": INT}, {"resolved": BOOL}),
    "comment.delete": Operation(comments.comment_delete, {"comment": INT}),
    # Links between cards and opportunities as work (services/links.py, opportunities.py).
    "link.create": Operation(links.link_create, {"opportunity": INT, "pain_point": INT}),
    "link.delete": Operation(links.link_delete, {"link": INT}),
    "opportunity.update": Operation(
        opportunities.opportunity_update,
        {"card": INT},
        {
            "owner": MAYBE_INT,
            "status": TEXT,
            "impact": MAYBE_INT,
            "effort": MAYBE_INT,
            "tickets": LIST,
        },
    ),
    # Undo and redo of one's own changes (services/undo.py).
    "undo": Operation(services.change_undo),
    "redo": Operation(services.change_redo),
}


def has_type(value, kind: str) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == MAYBE_INT and value is None:
        return True
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == LIST:
        return isinstance(value, list)
    return isinstance(value, int) and not isinstance(value, bool)


def service_arguments(operation: Operation, data: dict) -> dict:
    """Check the arguments' names and types, and name them as the service does."""
    allowed = operation.required | operation.optional
    unknown = [name for name in data if name not in allowed]
    missing = [name for name in operation.required if name not in data]
    if unknown or missing:
        fields = {name: ["Unknown field."] for name in unknown}
        fields |= {name: ["This field is required."] for name in missing}
        raise ProtocolError("invalid", _describe(fields), fields)
    wrong = {
        name: [f"Must be {allowed[name]}."]
        for name, value in data.items()
        if not has_type(value, allowed[name])
    }
    if wrong:
        raise ProtocolError("bad_message", _describe(wrong), wrong)
    return {SERVICE_ARGUMENT.get(name, name): value for name, value in data.items()}


def _describe(fields: dict) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())


def error_reply(op_id, exc: Exception) -> dict:
    """The one place where domain refusals become protocol errors."""
    if isinstance(exc, ProtocolError):
        reply = {"code": exc.code, "message": exc.message, **exc.extra}
        if exc.fields:
            reply["fields"] = exc.fields
    elif isinstance(exc, services.EditConflict):
        reply = {
            "code": "conflict",
            "message": str(exc),
            "field": exc.field,
            "current": exc.current,
            "revision": exc.revision,
        }
    elif isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        reply = {"code": "invalid", "message": _describe(fields), "fields": fields}
    elif isinstance(exc, services.BoardLocked):
        reply = {"code": "locked", "message": str(exc)}
    elif isinstance(exc, services.UndoRefused):
        reply = {"code": exc.code, "message": str(exc)}
    elif isinstance(exc, PermissionDenied):
        reply = {"code": "forbidden", "message": str(exc) or "Your role may not do this."}
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        reply = {"code": "not_found", "message": "This map has gone."}
    else:
        raise exc
    return {"type": "error", "id": op_id, **reply}


def parse(text_data: str | None) -> dict:
    if text_data is None:
        raise ProtocolError("bad_message", "Send JSON text frames, not binary ones.")
    if len(text_data.encode()) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", f"Messages may be at most {MAX_MESSAGE_BYTES} bytes.")
    try:
        message = json.loads(text_data)
    except ValueError:  # numbers of thousands of digits among them
        raise ProtocolError("bad_message", "The message is not valid JSON.") from None
    except RecursionError:  # thousands of nested brackets: the parser's own limit
        raise ProtocolError("bad_message", _TOO_DEEP) from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", "Each message is a JSON object with a type.")
    if _depth(message) > MAX_DEPTH:
        raise ProtocolError("bad_message", _TOO_DEEP)
    return message


_TOO_DEEP = f"The message is nested too deeply (at most {MAX_DEPTH} levels)."


def _depth(value) -> int:
    """How deeply lists and objects nest in a parsed message, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return depth
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def parse_operation(message: dict) -> tuple[str, Operation, dict]:
    op_id, data = message.get("id"), message.get("data", {})
    if not isinstance(op_id, str) or not 0 < len(op_id) <= MAX_ID_LENGTH:
        raise ProtocolError(
            "bad_message", f"An operation needs an id: a string of 1 to {MAX_ID_LENGTH} characters."
        )
    if not isinstance(data, dict):
        raise ProtocolError("bad_message", "data must be an object.")
    operation = OPERATIONS[message["type"]]
    return op_id, operation, service_arguments(operation, data)
