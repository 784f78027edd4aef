"""Signals other apps listen to (apps above privacy in the layers cannot be called from it).

``owner_anonymising``: sent inside ``owner_anonymise``'s transaction, after the owner row is
locked and *before* any value is blanked, with ``actor`` and ``owner``. Receivers erase their
own copies of the person's data (e.g. linkage keeps old NIKs and phones as alternate
identifiers). An exception in a receiver aborts the anonymisation.
"""

from __future__ import annotations

from django.dispatch import Signal

owner_anonymising = Signal()
