"""Error bodies as RFC 9457 problem details (application/problem+json), in plain words.

Every error the API answers has `type`, `title`, `status` and `detail`; a request whose
parameters or body were refused also has `errors`, the message for each field by name.
"""

from django.core.exceptions import BadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    410: "Gone",
    415: "Unsupported media type",
    429: "Too many requests",
}


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "This was retired and is no longer available."
    default_code = "gone"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this meanwhile; nothing was written."
    default_code = "conflict"


class NotModified(Exception):
    """Raised once the request's ETag matched: answered 304 with no body."""

    def __init__(self, etag):
        self.etag = etag


def _flatten(detail):
    """DRF's nested error detail as {field: "message. message."}."""
    if isinstance(detail, dict):
        return {str(key): " ".join(_messages(value)) for key, value in detail.items()}
    return {"non_field_errors": " ".join(_messages(detail))}


def _messages(value):
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def problem(status_code, detail, *, request=None, errors=None, title=None, headers=None):
    body = {
        "type": "about:blank",
        "title": title or TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_TYPE
    return response


def handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error as problem details."""
    request = context.get("request")
    if isinstance(exc, NotModified):
        response = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": exc.etag})
        return response
    if isinstance(exc, BadRequest):
        exc = exceptions.ParseError(str(exc) or "The request was malformed.")
    elif isinstance(exc, Http404):
        message = str(exc) if exc.args else "There is nothing at this address."
        exc = exceptions.NotFound(message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler500 answers it
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "Some parameters were not accepted: " + " ".join(
            f"{name}: {message}" for name, message in errors.items()
        )
    elif isinstance(exc.detail, dict | list):
        detail = " ".join(_messages(exc.detail))
    else:
        detail = str(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = (
            "Sign in, or send a personal API token as “Authorization: Bearer <token>”. "
            + ("" if detail == exceptions.NotAuthenticated.default_detail else detail)
        ).strip()
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        seconds = max(1, int(exc.wait + 0.999))
        detail = f"Too many requests from this client. Try again in {seconds} seconds."
        response["Retry-After"] = str(seconds)
    headers = {
        name: value
        for name, value in response.items()
        if name in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return problem(response.status_code, detail, request=request, errors=errors, headers=headers)
