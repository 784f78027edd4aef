"""Validating and normalising uploaded images (pure: Pillow only, no Django).

An upload is trusted for nothing: its type is sniffed from the bytes (not the name or the
browser's content type), its size and pixel count are capped (a decompression bomb is refused),
the EXIF orientation is applied and then every piece of metadata is dropped by re-encoding —
so no GPS location of an owner's house leaves the server. Large photos are scaled down; a
thumbnail is made for lists and the catalogue.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 7,700 x 5,200
MAX_SIDE = 1600
THUMB_SIDE = 400

NOT_AN_IMAGE = "Berkas ini bukan gambar yang bisa dibaca (JPEG, PNG atau WebP)."
TOO_LARGE = "Gambar terlalu besar (maksimal {mb} MB)."
TOO_MANY_PIXELS = "Ukuran gambar terlalu besar (maksimal {mp} megapiksel)."
WRONG_TYPE = "Jenis gambar {kind} tidak diterima; gunakan JPEG, PNG atau WebP."


class ImageRejectedError(ValueError):
    """The upload is not an acceptable image; the message is for the person who sent it."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # re-encoded, no metadata
    thumbnail: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int
    sha256: str  # of the cleaned content


def _encode(image: Image.Image, *, keep_alpha: bool) -> tuple[bytes, str]:
    out = io.BytesIO()
    if keep_alpha:
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue(), "jpg"


def clean_image(data: bytes, *, max_bytes: int = MAX_BYTES) -> CleanImage:
    """The cleaned image and its thumbnail.

    Raises:
        ImageRejectedError: empty, too large, not an image, an unsupported type, too many pixels.
    """
    if not data:
        raise ImageRejectedError(NOT_AN_IMAGE)
    if len(data) > max_bytes:
        raise ImageRejectedError(TOO_LARGE.format(mb=max_bytes // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or "?"
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRejectedError(NOT_AN_IMAGE) from exc
    except Image.DecompressionBombError as exc:
        raise ImageRejectedError(TOO_MANY_PIXELS.format(mp=MAX_PIXELS // 1_000_000)) from exc
    if kind not in ALLOWED:
        raise ImageRejectedError(WRONG_TYPE.format(kind=kind))
    if width * height > MAX_PIXELS:
        raise ImageRejectedError(TOO_MANY_PIXELS.format(mp=MAX_PIXELS // 1_000_000))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            keep_alpha = image.mode in ("RGBA", "LA") or (
                image.mode == "P" and "transparency" in image.info
            )
            image = image.convert("RGBA" if keep_alpha else "RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageRejectedError(NOT_AN_IMAGE) from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    content, extension = _encode(image, keep_alpha=keep_alpha)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumbnail, _ext = _encode(thumb, keep_alpha=keep_alpha)
    return CleanImage(
        content=content,
        thumbnail=thumbnail,
        extension=extension,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )
