"""How drf-spectacular describes the API's own pieces in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on /api/tokens/ (pkb_...).",
        }


PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem details body (application/problem+json).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, in plain words."},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "For refused parameters or fields: the message for each, by name.",
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "The parameters or body were not accepted; `errors` says why for each.",
    "401": "Not signed in, or the token is not valid or was revoked.",
    "403": "Your account may not do this (or the CSRF token is missing).",
    "404": "There is nothing readable at this address.",
    "410": "Retired: no longer available.",
    "429": "Too many requests from this client; see the Retry-After header.",
}
READ_ERRORS = ("400", "401", "403", "404", "410", "429")


def problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents its error answers
    as problem details, so clients (and schemathesis) can check them too."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code in READ_ERRORS:
                responses.setdefault(code, {"description": ERRORS[code], "content": content})
    return result
