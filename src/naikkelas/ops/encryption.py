"""Passphrase encryption of backup archives, streaming: an archive of many gigabytes is
encrypted and decrypted chunk by chunk, never held in memory.

Format, version 1 (all integers big-endian). A 56-byte header::

    offset  size  field
    0       8     magic  b"NKBACKUP"
    8       1     format version (1)
    9       1     key derivation: 1 = scrypt
    10      1     scrypt log2(N)      (N = 2**17 by default: 128 MiB of memory, ~1 s)
    11      1     scrypt r            (8)
    12      1     scrypt p            (1)
    13      16    scrypt salt         (random per archive)
    29      7     nonce prefix        (random per archive)
    36      4     chunk size          (plaintext bytes per chunk, 1 MiB by default)
    40      16    passphrase check    first 16 bytes of HMAC-SHA256(check key, header[0:40])

then the chunks. ``scrypt(passphrase, salt, N, r, p)`` gives 64 bytes: the AES-256 key (first
32) and the check key (last 32); the passphrase is the bytes of the passphrase file without
its trailing line break. The check value tells a wrong passphrase from a damaged archive.

Chunk ``i`` (counting from 0) is ``AES-256-GCM(key, nonce, plaintext_i, aad=header)``: the
ciphertext followed by the 16-byte tag, with the 12-byte nonce ``prefix (7) || i (4) ||
last (1: 0x01 for the final chunk, else 0x00)``. Every chunk but the final one holds exactly
``chunk size`` plaintext bytes; the final one holds 0 to ``chunk size`` bytes (an empty input
is one final chunk of 16 bytes). This is the STREAM construction (Hoang, Reyhanitabar,
Rogaway, Vizár 2015): because the position and the final flag are part of every nonce and
the whole header is authenticated with every chunk, changed bytes, reordered or dropped
chunks, a cut-off end and bytes after the final chunk are all detected.

To decrypt by hand in another program: read the header, derive the key with scrypt, then
for each chunk of ``chunk size + 16`` bytes (the last one shorter, or exactly that long when
it is followed by end of file) open AES-GCM with the nonce above and the header as
associated data.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"NKBACKUP"
VERSION = 1
KDF_SCRYPT = 1
DEFAULT_LOG_N = 17
DEFAULT_R = 8
DEFAULT_P = 1
DEFAULT_CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
SALT_SIZE = 16
PREFIX_SIZE = 7
_FIXED = struct.Struct(">8sBBBBB16s7sI")  # the header up to the passphrase check
HEADER_SIZE = _FIXED.size + 16
MAX_COUNTER = 2**32 - 1
# What a reader accepts from a header (a damaged one must not ask for terabytes of memory).
_LOG_N_RANGE = range(10, 23)
_R_RANGE = range(1, 33)
_P_RANGE = range(1, 17)
_CHUNK_RANGE = range(1, (64 << 20) + 1)

NOT_ENCRYPTED = "Berkas ini bukan arsip cadangan terenkripsi naikkelas."
UNKNOWN_VERSION = (
    "Arsip dienkripsi dengan format versi {version} yang tidak dikenal versi naikkelas ini; "
    "pulihkan dengan versi naikkelas yang lebih baru."
)
BAD_HEADER = "Kepala arsip terenkripsi rusak (parameter tidak wajar)."
WRONG_KEY = "Kata sandi cadangan salah (atau kepala arsip rusak)."
DAMAGED = "Arsip terenkripsi rusak, terpotong, atau telah diubah (bagian {chunk} gagal diperiksa)."
EMPTY_KEY_FILE = "Berkas kata sandi {path} kosong."
UNREADABLE_KEY_FILE = "Berkas kata sandi {path} tidak dapat dibaca: {error}"


class Sink(Protocol):
    """Where encrypted bytes go: an open file, or another stream that passes them on."""

    def write(self, data: bytes, /) -> object: ...

    def flush(self) -> object: ...


class DecryptionError(Exception):
    """The archive cannot be decrypted (the message says why, for the user)."""


class NotEncryptedError(DecryptionError):
    pass


class WrongPassphraseError(DecryptionError):
    pass


class DamagedArchiveError(DecryptionError):
    pass


class PassphraseFileError(Exception):
    pass


def read_passphrase_file(path: Path) -> bytes:
    """The passphrase in a file: its bytes without the trailing line break(s)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PassphraseFileError(
            UNREADABLE_KEY_FILE.format(path=path, error=error.strerror or error)
        ) from error
    passphrase = data.rstrip(b"\r\n")
    if not passphrase:
        raise PassphraseFileError(EMPTY_KEY_FILE.format(path=path))
    return passphrase


def is_encrypted(head: bytes) -> bool:
    """Whether the first bytes of a file are this format's magic."""
    return head.startswith(MAGIC)


def _derive(passphrase: bytes, *, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=64, n=2**log_n, r=r, p=p).derive(passphrase)
    return material[:32], material[32:]


def _check_value(check_key: bytes, fixed: bytes) -> bytes:
    return hmac.new(check_key, fixed, hashlib.sha256).digest()[:16]


def _nonce(prefix: bytes, counter: int, *, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what is written to it into ``target``.

    ``finish()`` writes the final chunk and closes the writer (not ``target``). A writer
    closed without ``finish()`` (an error, garbage collection) leaves an incomplete archive,
    which will not decrypt: a failed backup never looks like a complete one."""

    def __init__(
        self,
        target: Sink,
        *,
        passphrase: bytes,
        log_n: int = DEFAULT_LOG_N,
        r: int = DEFAULT_R,
        p: int = DEFAULT_P,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        super().__init__()
        if not passphrase:
            raise ValueError("empty passphrase")
        if chunk_size not in _CHUNK_RANGE:
            raise ValueError(f"chunk size out of range: {chunk_size}")
        self._target = target
        self._chunk_size = chunk_size
        salt = os.urandom(SALT_SIZE)
        self._prefix = os.urandom(PREFIX_SIZE)
        key, check_key = _derive(passphrase, salt=salt, log_n=log_n, r=r, p=p)
        fixed = _FIXED.pack(MAGIC, VERSION, KDF_SCRYPT, log_n, r, p, salt, self._prefix, chunk_size)
        self._header = fixed + _check_value(check_key, fixed)
        self._aead = AESGCM(key)
        self._counter = 0
        self._buffer = bytearray()
        target.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self.closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        # A full chunk is written only once more data follows: the final chunk may be full.
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        if self._counter > MAX_COUNTER:
            raise ValueError("too many chunks for one archive")
        nonce = _nonce(self._prefix, self._counter, last=last)
        self._target.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._counter += 1

    def finish(self) -> None:
        """Write the final chunk (what is buffered, possibly nothing) and close."""
        if self.closed:
            raise ValueError("finish() on a closed EncryptingWriter")
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._target.flush()
        self.close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext of an encrypted archive read from ``source``.

    The header is read and the passphrase checked on creation; every chunk is authenticated
    before any of its bytes are returned. Raises the ``DecryptionError`` subclasses."""

    def __init__(self, source: BinaryIO, *, passphrase: bytes) -> None:
        super().__init__()
        self._source = source
        header = _read_exactly(source, HEADER_SIZE)
        if not header.startswith(MAGIC):
            raise NotEncryptedError(NOT_ENCRYPTED)
        if len(header) < HEADER_SIZE:
            raise DamagedArchiveError(DAMAGED.format(chunk="kepala"))
        magic, version, kdf, log_n, r, p, salt, prefix, chunk_size = _FIXED.unpack(
            header[: _FIXED.size]
        )
        if version != VERSION:
            raise DecryptionError(UNKNOWN_VERSION.format(version=version))
        if (
            kdf != KDF_SCRYPT
            or log_n not in _LOG_N_RANGE
            or r not in _R_RANGE
            or p not in _P_RANGE
            or chunk_size not in _CHUNK_RANGE
        ):
            raise DamagedArchiveError(BAD_HEADER)
        key, check_key = _derive(passphrase, salt=salt, log_n=log_n, r=r, p=p)
        if not hmac.compare_digest(_check_value(check_key, header[: _FIXED.size]), header[-16:]):
            raise WrongPassphraseError(WRONG_KEY)
        self._header = header
        self._prefix = prefix
        self._aead = AESGCM(key)
        self._sealed_size = chunk_size + TAG_SIZE
        self._counter = 0
        self._next = _read_exactly(source, self._sealed_size)
        self._plain = b""
        self._offset = 0
        self._finished = False

    def readable(self) -> bool:
        return True

    def _advance(self) -> None:
        sealed = self._next
        if len(sealed) == self._sealed_size:
            self._next = _read_exactly(self._source, self._sealed_size)
            last = not self._next
        else:
            self._next = b""
            last = True
        if len(sealed) < TAG_SIZE:
            raise DamagedArchiveError(DAMAGED.format(chunk=self._counter + 1))
        nonce = _nonce(self._prefix, self._counter, last=last)
        try:
            self._plain = self._aead.decrypt(nonce, sealed, self._header)
        except InvalidTag:
            raise DamagedArchiveError(DAMAGED.format(chunk=self._counter + 1)) from None
        self._offset = 0
        self._counter += 1
        if last:
            self._finished = True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        while self._offset >= len(self._plain):
            if self._finished:
                return 0
            self._advance()
        count = min(len(view), len(self._plain) - self._offset)
        view[:count] = self._plain[self._offset : self._offset + count]
        self._offset += count
        return count


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes: fewer only at the end of the file."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def encrypt_stream(
    source: BinaryIO,
    target: BinaryIO,
    *,
    passphrase: bytes,
    log_n: int = DEFAULT_LOG_N,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> None:
    """Encrypt everything readable from ``source`` into ``target``."""
    writer = EncryptingWriter(target, passphrase=passphrase, log_n=log_n, chunk_size=chunk_size)
    while block := source.read(chunk_size):
        writer.write(block)
    writer.finish()


def decrypt_stream(source: BinaryIO, target: BinaryIO, *, passphrase: bytes) -> None:
    """Decrypt an archive from ``source`` into ``target`` (raises ``DecryptionError``)."""
    reader = io.BufferedReader(DecryptingReader(source, passphrase=passphrase), 1 << 20)
    while block := reader.read(1 << 20):
        target.write(block)
