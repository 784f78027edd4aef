"""The board (pengurus): terms set by decree and the seats in them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.association.models import BoardPosition, BoardTerm
from naikkelas.core.audit import audit_log


def board_term_create(*, actor: Any, data: dict[str, Any]) -> BoardTerm:
    """A new term of office (``name``, ``sk_number``, ``sk_date``, ``starts_on``, ``ends_on``).

    Raises:
        ValidationError: keyed by field (an end before the start, a missing SK).
    """
    term = BoardTerm(**data)
    term.full_clean()
    if term.ends_on < term.starts_on:
        raise ValidationError({"ends_on": _("Akhir masa bakti harus sesudah awalnya.")})
    with transaction.atomic():
        term.save()
        audit_log(actor=actor, action="board.term_create", instance=term)
    return term


def board_position_add(
    *, actor: Any, term: BoardTerm, data: dict[str, Any], username: str = ""
) -> BoardPosition:
    """A seat on the board; ``username`` links the holder's naikkelas account (needed for the
    secretary, who approves new members).

    Raises:
        ValidationError: keyed by field (unknown account, missing title or name).
    """
    user = None
    if username.strip():
        user = User.objects.filter(username=username.strip(), is_active=True).first()
        if user is None:
            raise ValidationError({"username": _("Akun dengan nama pengguna ini tidak ada.")})
    position = BoardPosition(term=term, user=user, **data)
    position.full_clean()
    with transaction.atomic():
        position.save()
        audit_log(
            actor=actor,
            action="board.position_add",
            instance=position,
            extra={"title": position.title, "approves_members": position.approves_members},
        )
    return position


def board_position_remove(*, actor: Any, position: BoardPosition) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="board.position_remove",
            object_type="association.boardposition",
            object_id=str(position.pk),
            extra={"title": position.title},
        )
        position.delete()
