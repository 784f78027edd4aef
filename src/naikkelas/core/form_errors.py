"""Showing a service's ``ValidationError`` on a Django form (shared by every app's views)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(
    form: forms.Form, error: ValidationError, *, prefix: str = "", label_unknown: bool = False
) -> None:
    """Put each field's messages next to the matching form field, the rest at the top.

    ``prefix`` strips a service's key prefix (``owner_nik`` → ``nik`` on the owner form);
    ``label_unknown`` names the service field in messages that have no form field.
    """
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        name = field[len(prefix) :] if prefix and field.startswith(prefix) else field
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(
                target, f"{field}: {message}" if label_unknown and not target else message
            )
