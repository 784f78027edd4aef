"""OpenRosa 1.0 bodies and submission parsing (pure: no Django, no ORM).

What ODK Collect checks (docs/odk-openrosa.md §1.7): the form list and the manifest are
``text/xml`` documents in their OpenRosa namespaces, every ``<xform>`` has formID, name,
version, ``md5:`` hash and an absolute downloadUrl; transactional answers are an
``OpenRosaResponse`` envelope whose ``<message>`` Collect shows to the enumerator.

Submission XML comes from phones and from anyone who finds the URL: it is parsed with
defusedxml (no DTDs, no entity expansion, no external references), size-capped by the
caller, and read only for what the server needs -- the form id and version on the root,
``meta/instanceID`` and ``meta/deprecatedID``, and the leaf values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

__all__ = [
    "FORM_LIST_NS",
    "MANIFEST_NS",
    "RESPONSE_NS",
    "FormEntry",
    "Instance",
    "InvalidSubmission",
    "form_list_xml",
    "openrosa_message",
    "parse_instance",
]

FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
# The instanceID of a submission: "uuid:..." from Collect; any sane token from other clients.
_INSTANCE_ID = re.compile(r"^[A-Za-z0-9:._-]{1,100}$")
_FORM_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]{0,99}$")


class InvalidSubmission(ValueError):  # noqa: N818 (the name says what it is)
    """The submission XML cannot be accepted; ``code`` is a ``RejectionReason`` value."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FormEntry:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str | None = None


@dataclass(frozen=True)
class Instance:
    """What the server reads from a submission XML."""

    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    # leaf values by path without the root ("owner/owner_name", "meta/instanceID")
    values: dict[str, str] = field(default_factory=dict)

    def by_name(self) -> dict[str, str]:
        """Leaf values by their last name (question names are unique in an XLSForm)."""
        return {path.rsplit("/", 1)[-1]: value for path, value in self.values.items()}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _leaves(element: Element, prefix: str, out: dict[str, str]) -> None:
    for child in element:
        path = f"{prefix}{_local(child.tag)}"
        if len(child):
            _leaves(child, path + "/", out)
        else:
            out[path] = (child.text or "").strip()


def parse_instance(data: bytes) -> Instance:
    """Read a submission's XML safely.

    Raises:
        InvalidSubmission: ``malformed`` (not well-formed, a DTD or entities, not UTF-8),
            ``unknown_form`` (no usable form id on the root), ``no_instance_id``.
    """
    try:
        data.decode("utf-8")  # stored verbatim as text: Collect always sends UTF-8
    except UnicodeDecodeError as error:
        raise InvalidSubmission("malformed", "XML bukan UTF-8.") from error
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise InvalidSubmission("malformed", f"XML tidak dapat dibaca: {error}") from error
    form_id = (root.get("id") or "").strip()
    if not _FORM_ID.match(form_id):
        raise InvalidSubmission("unknown_form", "Elemen akar XML tidak menyebut ID formulir.")
    values: dict[str, str] = {}
    _leaves(root, "", values)
    instance_id = values.get("meta/instanceID", "")
    if not instance_id:
        raise InvalidSubmission("no_instance_id", "meta/instanceID tidak ada.")
    if not _INSTANCE_ID.match(instance_id):
        raise InvalidSubmission("no_instance_id", "meta/instanceID tidak sah.")
    deprecated = values.get("meta/deprecatedID", "")
    if deprecated and not _INSTANCE_ID.match(deprecated):
        raise InvalidSubmission("malformed", "meta/deprecatedID tidak sah.")
    return Instance(
        form_id=form_id,
        version=(root.get("version") or "").strip()[:50],
        instance_id=instance_id,
        deprecated_id=deprecated,
        values=values,
    )


def _document(root: Element) -> bytes:
    return (
        b"<?xml version='1.0' encoding='UTF-8' ?>\n" + tostring(root, encoding="unicode").encode()
    )


def openrosa_message(text: str, *, nature: str = "") -> bytes:
    """An ``OpenRosaResponse`` envelope with one message (shown on the phone)."""
    root = Element("OpenRosaResponse", {"xmlns": RESPONSE_NS, "items": "0"})
    message = SubElement(root, "message", {"nature": nature} if nature else {})
    message.text = text
    return _document(root)


def form_list_xml(forms: Iterable[FormEntry]) -> bytes:
    """The ``formList`` document (every child in the xformsList namespace by default)."""
    root = Element("xforms", {"xmlns": FORM_LIST_NS})
    for form in forms:
        xform = SubElement(root, "xform")
        for tag, value in (
            ("formID", form.form_id),
            ("name", form.name),
            ("version", form.version),
            ("hash", f"md5:{form.md5}"),
            ("downloadUrl", form.download_url),
        ):
            SubElement(xform, tag).text = value
        if form.manifest_url:
            SubElement(xform, "manifestUrl").text = form.manifest_url
    return _document(root)
