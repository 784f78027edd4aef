"""The streaming archive encryption (naikkelas.ops.encryption): round trips, and every way an
archive can be cut, changed or opened with the wrong passphrase."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from hypothesis import given, settings
from hypothesis import strategies as st

from naikkelas.ops.encryption import (
    HEADER_SIZE,
    MAGIC,
    TAG_SIZE,
    DamagedArchiveError,
    DecryptingReader,
    DecryptionError,
    EncryptingWriter,
    NotEncryptedError,
    PassphraseFileError,
    WrongPassphraseError,
    decrypt_stream,
    encrypt_stream,
    is_encrypted,
    read_passphrase_file,
)

PASSPHRASE = b"kunci cadangan kantor dinas"
CHUNK = 64
FAST = 10  # scrypt log2(N) for tests: ~1 ms instead of ~1 s


def encrypt(data: bytes, *, chunk_size: int = CHUNK, passphrase: bytes = PASSPHRASE) -> bytes:
    target = io.BytesIO()
    encrypt_stream(
        io.BytesIO(data), target, passphrase=passphrase, log_n=FAST, chunk_size=chunk_size
    )
    return target.getvalue()


def decrypt(sealed: bytes, *, passphrase: bytes = PASSPHRASE) -> bytes:
    target = io.BytesIO()
    decrypt_stream(io.BytesIO(sealed), target, passphrase=passphrase)
    return target.getvalue()


def chunks_of(length: int, chunk_size: int = CHUNK) -> int:
    """How many chunks the format says an input of ``length`` bytes becomes."""
    return max(1, -(-length // chunk_size))


@pytest.mark.parametrize(
    "length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 5, 10 * CHUNK]
)
def test_round_trip_and_size(length: int) -> None:
    data = os.urandom(length)
    sealed = encrypt(data)
    assert sealed.startswith(MAGIC)
    assert len(sealed) == HEADER_SIZE + length + chunks_of(length) * TAG_SIZE
    assert decrypt(sealed) == data


def test_empty_input_is_one_final_chunk() -> None:
    sealed = encrypt(b"")
    assert len(sealed) == HEADER_SIZE + TAG_SIZE
    assert decrypt(sealed) == b""


def test_exact_multiple_ends_with_a_full_final_chunk() -> None:
    data = os.urandom(4 * CHUNK)
    sealed = encrypt(data)
    assert len(sealed) == HEADER_SIZE + 4 * (CHUNK + TAG_SIZE)
    # dropping the full final chunk leaves a valid-looking stream of non-final chunks
    with pytest.raises(DamagedArchiveError):
        decrypt(sealed[: -(CHUNK + TAG_SIZE)])
    assert decrypt(sealed) == data


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), chunk_size=st.integers(min_value=1, max_value=300))
def test_round_trip_property(data: bytes, chunk_size: int) -> None:
    sealed = encrypt(data, chunk_size=chunk_size)
    assert len(sealed) == HEADER_SIZE + len(data) + chunks_of(len(data), chunk_size) * TAG_SIZE
    assert decrypt(sealed) == data


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=700), cut=st.integers(min_value=1))
def test_any_truncation_is_detected(data: bytes, cut: int) -> None:
    sealed = encrypt(data)
    keep = HEADER_SIZE + cut % (len(sealed) - HEADER_SIZE)
    with pytest.raises(DamagedArchiveError):
        decrypt(sealed[:keep])


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=500), position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_changed_bit_is_detected(data: bytes, position: int, bit: int) -> None:
    sealed = bytearray(encrypt(data))
    sealed[position % len(sealed)] ^= 1 << bit
    with pytest.raises(DecryptionError):
        decrypt(bytes(sealed))


def test_reordered_chunks_are_detected() -> None:
    data = os.urandom(3 * CHUNK + 10)
    sealed = encrypt(data)
    size = CHUNK + TAG_SIZE
    first = sealed[HEADER_SIZE : HEADER_SIZE + size]
    second = sealed[HEADER_SIZE + size : HEADER_SIZE + 2 * size]
    swapped = sealed[:HEADER_SIZE] + second + first + sealed[HEADER_SIZE + 2 * size :]
    with pytest.raises(DamagedArchiveError):
        decrypt(swapped)


def test_chunks_from_another_archive_are_detected() -> None:
    data = os.urandom(2 * CHUNK + 3)
    one, two = encrypt(data), encrypt(data)
    assert one != two  # fresh salt and nonce prefix per archive
    with pytest.raises(DamagedArchiveError):
        decrypt(one[:HEADER_SIZE] + two[HEADER_SIZE:])


def test_bytes_after_the_final_chunk_are_detected() -> None:
    for data in (os.urandom(CHUNK + 5), os.urandom(2 * CHUNK)):
        with pytest.raises(DamagedArchiveError):
            decrypt(encrypt(data) + b"\x00")


def test_wrong_passphrase_is_told_apart_from_damage() -> None:
    sealed = encrypt(b"data register UMKM")
    with pytest.raises(WrongPassphraseError) as caught:
        decrypt(sealed, passphrase=b"kunci yang lain")
    assert "Kata sandi cadangan salah" in str(caught.value)


def test_wrong_passphrase_is_found_from_the_header_alone() -> None:
    sealed = encrypt(os.urandom(5 * CHUNK))
    source = io.BytesIO(sealed)
    with pytest.raises(WrongPassphraseError):
        DecryptingReader(source, passphrase=b"salah")
    assert source.tell() == HEADER_SIZE


def test_not_encrypted_and_unknown_version() -> None:
    with pytest.raises(NotEncryptedError):
        decrypt(b"\x1f\x8b\x08\x00 a gzip file")
    with pytest.raises(NotEncryptedError):
        decrypt(b"")
    sealed = bytearray(encrypt(b"x"))
    sealed[len(MAGIC)] = 9
    with pytest.raises(DecryptionError, match="versi 9"):
        decrypt(bytes(sealed))
    assert is_encrypted(encrypt(b"")) and not is_encrypted(b"\x1f\x8b")


def test_header_asking_for_huge_memory_is_refused_before_deriving() -> None:
    sealed = bytearray(encrypt(b"x"))
    sealed[10] = 40  # log2(N): 2**40 would need terabytes
    with pytest.raises(DamagedArchiveError, match="parameter"):
        decrypt(bytes(sealed))


def test_writer_streams_instead_of_buffering() -> None:
    target = io.BytesIO()
    writer = EncryptingWriter(target, passphrase=PASSPHRASE, log_n=FAST, chunk_size=CHUNK)
    for written in range(1, 11):
        writer.write(os.urandom(CHUNK))
        # only the chunk that may turn out to be the final one is held back
        assert len(target.getvalue()) == HEADER_SIZE + (written - 1) * (CHUNK + TAG_SIZE)
    writer.finish()
    assert len(target.getvalue()) == HEADER_SIZE + 10 * (CHUNK + TAG_SIZE)


def test_reader_streams_instead_of_reading_everything() -> None:
    data = os.urandom(50 * CHUNK)
    source = io.BytesIO(encrypt(data))
    reader = DecryptingReader(source, passphrase=PASSPHRASE)
    assert reader.read(CHUNK) == data[:CHUNK]
    assert source.tell() <= HEADER_SIZE + 2 * (CHUNK + TAG_SIZE)


def test_unfinished_writer_leaves_an_archive_that_does_not_decrypt() -> None:
    target = io.BytesIO()
    writer = EncryptingWriter(target, passphrase=PASSPHRASE, log_n=FAST, chunk_size=CHUNK)
    writer.write(os.urandom(3 * CHUNK))
    writer.close()  # an error path: no final chunk
    with pytest.raises(DamagedArchiveError):
        decrypt(target.getvalue())


def test_format_as_documented() -> None:
    """Decrypt with nothing but the module docstring's description and the primitives."""
    data = os.urandom(2 * CHUNK + 7)
    sealed = encrypt(data)
    fixed = struct.Struct(">8sBBBBB16s7sI")
    magic, version, kdf, log_n, r, p, salt, prefix, chunk_size = fixed.unpack(sealed[:40])
    assert (magic, version, kdf, log_n, r, p, chunk_size) == (MAGIC, 1, 1, FAST, 8, 1, CHUNK)
    material = Scrypt(salt=salt, length=64, n=2**log_n, r=r, p=p).derive(PASSPHRASE)
    key, check_key = material[:32], material[32:]
    header = sealed[:56]
    assert header[40:] == hmac.new(check_key, header[:40], hashlib.sha256).digest()[:16]
    body = sealed[56:]
    sealed_size = chunk_size + 16
    pieces = [body[i : i + sealed_size] for i in range(0, len(body), sealed_size)]
    plain = b"".join(
        AESGCM(key).decrypt(
            prefix + struct.pack(">I", i) + (b"\x01" if i == len(pieces) - 1 else b"\x00"),
            piece,
            header,
        )
        for i, piece in enumerate(pieces)
    )
    assert plain == data


def test_default_parameters_round_trip() -> None:
    """The real defaults (scrypt 2**17, 1 MiB chunks) on a few MiB."""
    data = os.urandom(3 * (1 << 20) + 11)
    target = io.BytesIO()
    encrypt_stream(io.BytesIO(data), target, passphrase=PASSPHRASE)
    assert decrypt(target.getvalue()) == data


def test_passphrase_file(tmp_path: Path) -> None:
    path = tmp_path / "passphrase"
    path.write_bytes(b"  dua kata  \r\n\n")
    assert read_passphrase_file(path) == b"  dua kata  "
    path.write_bytes(b"\n")
    with pytest.raises(PassphraseFileError, match="kosong"):
        read_passphrase_file(path)
    with pytest.raises(PassphraseFileError, match="tidak dapat dibaca"):
        read_passphrase_file(tmp_path / "tidak-ada")
