"""Bounds on what a JSON body may be, in one place: at most API_JSON_MAX_BYTES, nested at most
API_JSON_MAX_DEPTH deep, no NaN or Infinity. Python's parser would take any size and nesting
(a body of 100,000 "[" raises RecursionError deep inside it, which was a 500); past the bounds
the answer is a 400 naming the limit, before anything else reads the body.
"""

import json

from django.conf import settings
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number.")


def load_bounded(text: str | bytes):
    """The JSON value of `text`, or ParseError naming the limit it breaks."""
    limit = settings.API_JSON_MAX_BYTES
    if len(text) > limit:
        raise ParseError(f"The JSON body is over {limit // 1024} KB, the limit.")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        data = None  # deeper than Python goes, so deeper than the limit too
        depth_refused = True
    except ValueError as error:
        raise ParseError(f"JSON parse error: {error}") from None
    else:
        depth_refused = depth(data) > settings.API_JSON_MAX_DEPTH
    if depth_refused:
        raise ParseError(
            f"The JSON body is nested more than {settings.API_JSON_MAX_DEPTH} levels deep, "
            "the limit."
        )
    return data


def depth(value) -> int:
    """How deep lists and objects nest (a number is 0, [1] is 1), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            deepest = max(deepest, level)
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in item)
    return deepest


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser within the bounds above."""

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return {}
        limit = settings.API_JSON_MAX_BYTES
        # One byte past the limit tells that it is over without reading a huge body whole.
        body = stream.read(limit + 1)
        try:
            text = body.decode((parser_context or {}).get("encoding") or "utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(f"The JSON body is not valid UTF-8: {error}") from None
        return load_bounded(text)


class BoundedJSONField(serializers.JSONField):
    """A JSON value sent as text in a form field (multipart), within the same bounds."""

    def to_internal_value(self, data):
        if isinstance(data, str | bytes) and (
            self.binary or getattr(data, "is_json_string", False)
        ):
            try:
                return load_bounded(data)
            except ParseError as error:
                raise serializers.ValidationError(str(error.detail)) from None
        if depth(data) > settings.API_JSON_MAX_DEPTH:  # from a JSON body, already bounded
            raise serializers.ValidationError("Nested too deep.")
        return super().to_internal_value(data)
