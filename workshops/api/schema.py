"""What the OpenAPI schema says of every operation, beside what each view declares: the bodies
of its error answers, and the answers any request may get.

- Every error answer has a body in the schema: `FieldErrors` for a 400 ({field: [messages]},
  or {"detail": "..."} for a body past the JSON limits), `Error` ({"detail", "code"?}) otherwise.
- Any operation may answer 503 when the database is unavailable (cjm/health.py), 400 when it
  reads a query string or a body, 404 when its path holds ids.
- Any write, the exports and the token endpoint may answer 429 over a rate limit
  (workshops/rates.py), and any operation that takes a body 415 for a body of another type.

tests/workshops/api/test_schemathesis.py holds the API to this schema.
"""

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "code": {"type": "string", "description": "A word for a program, where there is one."},
    },
    "required": ["detail"],
}

FIELD_ERRORS = {
    "type": "object",
    "description": 'Each bad field with its messages ({"title": ["This field may not be '
    'blank."]}), or {"detail": "..."} when the body as a whole is refused.',
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}

COMMON = {
    "503": "The database is unavailable, so nothing was changed; try again in a moment.",
}
BAD_INPUT = "Invalid input, named by field; nothing changed."
NOT_FOUND = "No such object, or not a member of its workshop."
THROTTLED = "Over a rate limit (docs/api.md, Limits): wait the Retry-After seconds."
UNSUPPORTED = "The body is of a type this operation does not take."
# Reads that are limited too: a PDF or a whole map file takes seconds of a process.
THROTTLED_READS = {"maps_export_pdf", "maps_export_json"}


def add_common_responses(result, generator, request, public):
    """drf-spectacular's postprocessing hook (SPECTACULAR_SETTINGS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FieldErrors"] = FIELD_ERRORS
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            _complete(method, operation)
    return result


def _complete(method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    for code, text in COMMON.items():
        responses.setdefault(code, {"description": text})
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    if "query" in places or "requestBody" in operation:
        responses.setdefault("400", {"description": BAD_INPUT})
    if "path" in places:
        responses.setdefault("404", {"description": NOT_FOUND})
    if method != "get" or operation.get("operationId") in THROTTLED_READS:
        responses.setdefault("429", {"description": THROTTLED})
    if "requestBody" in operation:
        responses.setdefault("415", {"description": UNSUPPORTED})
    for code, response in responses.items():
        if int(code) >= 400 and "content" not in response:
            name = "FieldErrors" if code == "400" else "Error"
            response["content"] = {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
            }
