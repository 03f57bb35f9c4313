"""One exception tree for the whole framework.

``FrameworkError`` is the root. Under it:

* ``DeclarationError``: a malformed declaration, raised at import (or synth) time and
  naming the offending route;
* ``HTTPError``: raised by handlers, rendered by the runtime as ``{"message": ...}``
  with the error's status code.

Standard library only: the Lambda runtime imports this module.
"""

from __future__ import annotations


class FrameworkError(Exception):
    """Root of every error the framework raises on purpose."""


class DeclarationError(FrameworkError):
    """A declaration that API Gateway would refuse, raised where it is declared.

    >>> api.get("/pets/{id")   # doctest: +SKIP
    InvalidPathError: GET /pets/{id: path segment '{id' is not a valid resource path part
    """


class InvalidPathError(DeclarationError):
    """The resource path is not one API Gateway accepts."""


class DuplicateRouteError(DeclarationError):
    """The same method is declared twice on one resource."""


class InvalidOptionError(DeclarationError):
    """A route or API option is unknown or out of range."""


class HTTPError(FrameworkError):
    """An HTTP error a handler raises; the client receives ``{"message": message}``.

    >>> raise NotFoundError("no pet 7")   # doctest: +SKIP
    """

    status_code: int = 500
    default_message: str = "Internal Server Error"

    def __init__(self, message: str | None = None, *, headers: dict[str, str] | None = None):
        self.message = message if message is not None else self.default_message
        self.headers = dict(headers or {})
        super().__init__(self.message)


class BadRequestError(HTTPError):
    """HTTP 400 Bad Request."""

    status_code = 400
    default_message = "Bad Request"


class UnauthorizedError(HTTPError):
    """HTTP 401 Unauthorized."""

    status_code = 401
    default_message = "Unauthorized"


class ForbiddenError(HTTPError):
    """HTTP 403 Forbidden."""

    status_code = 403
    default_message = "Forbidden"


class NotFoundError(HTTPError):
    """HTTP 404 Not Found."""

    status_code = 404
    default_message = "Not Found"


class MethodNotAllowedError(HTTPError):
    """HTTP 405 Method Not Allowed."""

    status_code = 405
    default_message = "Method Not Allowed"


class ConflictError(HTTPError):
    """HTTP 409 Conflict."""

    status_code = 409
    default_message = "Conflict"


class UnprocessableEntityError(HTTPError):
    """HTTP 422 Unprocessable Entity."""

    status_code = 422
    default_message = "Unprocessable Entity"


class TooManyRequestsError(HTTPError):
    """HTTP 429 Too Many Requests."""

    status_code = 429
    default_message = "Too Many Requests"


class InternalServerError(HTTPError):
    """HTTP 500 Internal Server Error."""

    status_code = 500
    default_message = "Internal Server Error"


class ServiceUnavailableError(HTTPError):
    """HTTP 503 Service Unavailable."""

    status_code = 503
    default_message = "Service Unavailable"
