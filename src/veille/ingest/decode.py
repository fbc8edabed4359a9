"""Bytes to text: encoding detection, binary detection, Unicode normalisation."""
from __future__ import annotations

import codecs
import re
import unicodedata

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Control characters that never occur in text (tab, newlines, form feed allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FRENCH_LETTERS = set("éèêàâçùûôîïëœÉÈÊÀÂÇÙÛÔÎ")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP header, HTML ``<meta>`` or XML prolog declares, if valid."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    head = data[:4096]
    for rx in (_META_CHARSET, _XML_ENCODING):
        m = rx.search(head)
        if m and _codec(m.group(1).decode("ascii", "ignore")):
            return _codec(m.group(1).decode("ascii", "ignore"))
    return None


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control bytes (images, archives, PDFs)."""
    head = data[:65536]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(8, len(head) // 200)


def _french_score(text: str) -> int:
    """Accented French letters in a reading that is mostly ASCII letters (as French is)."""
    sample = text[:20000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return 0
    non_ascii = sum(1 for ch in letters if ord(ch) > 127)
    if non_ascii / len(letters) > 0.2:
        return -1
    return sum(1 for ch in letters if ch in _FRENCH_LETTERS)


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to NFC text; return ``(text, encoding)``.

    Order: BOMs, then strict UTF-8, then a declared charset, then charset-normalizer,
    with cp1252 preferred among single-byte guesses when it reads as well (French
    pages are very often Windows-1252 or Latin-1). Raises :class:`DecodeError`.
    """
    if looks_binary(data):
        raise DecodeError("binary content (NUL or control bytes), not text; "
                          "give veille text, HTML, JSONL, WARC or RSS/Atom files")
    text: str | None = None
    encoding = ""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom):].decode(name), name
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {name} byte-order mark but is not {name} ({e.reason})") from e
            break
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if text is None and declared and declared != "utf-8":
        try:
            text, encoding = data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            text = None
    if text is None:
        text, encoding = _guess(data)
    text = text.lstrip("\ufeff")
    if _CONTROL.search(text[:65536]) and len(_CONTROL.findall(text[:65536])) > 8:
        raise DecodeError("decoded text is full of control characters; the file is probably binary")
    return unicodedata.normalize("NFC", text), encoding


def _guess(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    candidates: list[str] = []
    if best is not None and best.encoding:
        candidates.append(best.encoding)
    candidates += ["cp1252", "latin_1"]
    results: list[tuple[int, int, str, str]] = []
    for rank, name in enumerate(dict.fromkeys(candidates)):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        # Prefer the reading with more French letters; ties go to the detector's choice.
        results.append((-_french_score(text), rank, text, name))
    if not results:
        raise DecodeError("cannot detect the text encoding; convert the file to UTF-8")
    results.sort(key=lambda r: (r[0], r[1]))
    _, _, text, name = results[0]
    return text, name
