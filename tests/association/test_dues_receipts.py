"""The receipt's amount in words (terbilang), the Indonesian way."""

from __future__ import annotations

import pytest

from naikkelas.association.receipts import rupiah_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1, "satu rupiah"),
        (11, "sebelas rupiah"),
        (12, "dua belas rupiah"),
        (19, "sembilan belas rupiah"),
        (20, "dua puluh rupiah"),
        (100, "seratus rupiah"),
        (115, "seratus lima belas rupiah"),
        (1_000, "seribu rupiah"),
        (1_500, "seribu lima ratus rupiah"),
        (11_000, "sebelas ribu rupiah"),
        (120_000, "seratus dua puluh ribu rupiah"),
        (250_000, "dua ratus lima puluh ribu rupiah"),
        (1_000_000, "satu juta rupiah"),
        (1_250_075, "satu juta dua ratus lima puluh ribu tujuh puluh lima rupiah"),
        (2_000_000_000, "dua miliar rupiah"),
        (1_001_000_000_000, "satu triliun satu miliar rupiah"),
        (1_000_000_000_000_000, "seribu triliun rupiah"),
    ],
)
def test_rupiah_in_words(amount: int, words: str) -> None:
    assert rupiah_in_words(amount) == words


def test_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        rupiah_in_words(-1)
