"""What every API view shares: the services' errors in DRF's terms."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from reviews.services import ReviewFrozen


def exception_handler(exc, context):
    """A service's ValidationError answers 400 with the field errors; its PermissionDenied answers 403; an edit of
    an approved review answers 409 with the reason."""
    if isinstance(exc, ReviewFrozen):
        return Response({"detail": exc.messages[0], "code": "review_final"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
