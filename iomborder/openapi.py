"""The OpenAPI schema says every answer an endpoint can give, errors included."""

ERROR = {
    "type": "object",
    "description": "What went wrong: `detail` for people, `code` for programs; field errors for a 400.",
    "additionalProperties": True,
}
ANSWERS = {
    "400": "The request is not valid: the field errors say why",
    "401": "Not signed in, or the token is not valid or has expired",
    "403": "Signed in, but not allowed to do this",
    "404": "No such object, or one you may not see",
    "405": "This method is not allowed here",
    "409": "Conflict: someone saved first (the current item is returned), or the review is final",
    "429": "Too many requests, or sign-in locked for a while: see Retry-After",
    "503": "Briefly unavailable (the database or the report queue): see Retry-After",
}


def document_errors(result, generator, request, public):
    """A drf-spectacular post-processing hook: every operation lists the error answers it can give."""
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            codes = ["400", "401", "403", "404", "405", "429", "503"]  # 400: a body or a query parameter
            if method in ("post", "put", "patch", "delete"):
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code, {"description": ANSWERS[code], "content": {"application/json": {"schema": ERROR}}}
                )
    return result
