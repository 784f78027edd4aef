"""Uploaded images: the type is sniffed, size and pixels capped, metadata (GPS) stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from naikkelas.market.images import (
    MAX_SIDE,
    THUMB_SIDE,
    ImageRejectedError,
    clean_image,
)


def jpeg_with_gps(size: tuple[int, int] = (2400, 1200), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    gps = {1: "S", 2: (6.0, 7.0, 12.0), 3: "E", 4: (106.0, 9.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo: a house in Kota Serang
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_gps_and_every_other_metadata_are_removed() -> None:
    raw = jpeg_with_gps()
    assert b"Exif" in raw
    clean = clean_image(raw)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert not image.getexif()  # nothing left, GPS included
        assert image.format == "JPEG"
    assert b"Exif" not in clean.content and b"Exif" not in clean.thumbnail


def test_large_photos_are_scaled_and_a_thumbnail_made() -> None:
    clean = clean_image(jpeg_with_gps((4000, 3000)))
    assert max(clean.width, clean.height) == MAX_SIDE
    with Image.open(io.BytesIO(clean.thumbnail)) as thumb:
        assert max(thumb.size) == THUMB_SIDE


def test_the_camera_orientation_is_applied_before_metadata_goes() -> None:
    clean = clean_image(jpeg_with_gps((300, 100), orientation=6))  # rotated 90° on the phone
    assert (clean.width, clean.height) == (100, 300)


def test_png_transparency_is_kept() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(out, format="PNG")
    clean = clean_image(out.getvalue())
    assert clean.extension == "png"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "bukan gambar"),
        (b"%PDF-1.4 bukan gambar", "bukan gambar"),
        (b"<html><script>alert(1)</script></html>", "bukan gambar"),
        (b"\xff\xd8\xff\xe0 rusak", "bukan gambar"),
    ],
)
def test_anything_that_is_not_an_image_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImageRejectedError, match=message):
        clean_image(data)


def test_other_image_types_and_oversized_files_are_refused() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ImageRejectedError, match="GIF"):
        clean_image(gif.getvalue())
    with pytest.raises(ImageRejectedError, match="terlalu besar"):
        clean_image(jpeg_with_gps(), max_bytes=1000)


def test_a_decompression_bomb_is_refused() -> None:
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")  # tiny file, 400 megapixels
    with pytest.raises(ImageRejectedError, match="megapiksel"):
        clean_image(bomb.getvalue())
