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


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
"""Byte-order marks, UTF-32 before UTF-16 (the UTF-32-LE mark starts with the UTF-16-LE one)."""


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
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom):].decode(name), name
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {name} byte-order mark but is not {name} ({e.reason})") from e
            break
    if text is None and looks_binary(data):
        wide = _wide_unicode(data)
        if wide is None:
            raise DecodeError("binary content (NUL or control bytes), not text; "
                              "give veille text, HTML, JSONL, WARC or RSS/Atom files")
        text, encoding = wide
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
    # Western single-byte readings, tried too: French pages without a declared charset.
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
    why = _not_text(text, detected=best is not None and name == best.encoding)
    if why:
        raise DecodeError(f"these bytes read as no text in any encoding ({why}); if this is text, "
                          "convert it to UTF-8")
    return text, name


def _wide_unicode(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 text without a byte-order mark, told by where its zero bytes fall
    (mostly-Latin text in UTF-16-LE has a zero at every odd byte), or None."""
    head = data[:65536]
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        usable = len(head) - len(head) % width
        if usable < 4 * width or len(data) % width:
            continue
        units = usable // width
        zeros = [head[k:usable:width].count(0) / units for k in range(width)]
        # Little end first: the low byte (position 0) is rarely zero, the high ones mostly.
        patterns = {names[0]: (zeros[0], min(zeros[1:])), names[1]: (zeros[-1], min(zeros[:-1]))}
        for name, (low, high) in patterns.items():
            if low < 0.05 and high > 0.6:
                try:
                    text = data.decode(name)
                except UnicodeDecodeError:
                    continue
                if not _CONTROL.search(text[:65536]) and not _not_text(text, detected=False):
                    return text, name
    return None


def _not_text(text: str, *, detected: bool) -> str:
    """Why a guessed reading of some bytes is not text ("" when it reads as text).

    ``detected``: charset-normalizer chose this encoding (it checks the reading for
    coherence); a fall-back reading must also look like written words: spaces between
    words, mostly letters, no C1 control characters."""
    sample = text[:20000]
    shown = [ch for ch in sample if not ch.isspace()]
    if len(sample) < 64 or not shown:
        return ""
    if len(shown) >= 200 and len(set(shown)) < 8:
        return f"{len(shown):,} characters made of {len(set(shown))} different ones"
    if detected:
        return ""
    c1 = sum(1 for ch in sample if "\x80" <= ch <= "\x9f")
    if c1 > len(sample) / 200:
        return f"{c1:,} control characters in the first {len(sample):,}"
    spaces = len(sample) - len(shown)
    letters = sum(1 for ch in shown if ch.isalpha())
    if spaces < len(sample) / 40 or letters < len(shown) / 2:
        return "no words: too few spaces or letters"
    return ""
