"""Content negotiation as lenient as a device: what a resource answers for a request's ``Accept``.

A resource produces one of three kinds of representation:

- ``JSON``: ``application/json``; refused (406) when ``Accept`` excludes it, as the guide's 406
  describes ("for most URLs it's application/JSON").
- ``TEXT_FILE``: a text file the guide shows as ``application/octet-stream`` (INI, CLI script,
  PEM files, CSR). Served for any ``text/*`` or ``application/*`` range (a client that sends
  ``Accept: application/json`` everywhere still gets its file, labelled as what it is), labelled
  ``text/plain; charset=utf-8`` when the client asks for ``text/plain`` or ``text/*``.
- ``BINARY_FILE``: a binary file (the configuration package): any ``application/*`` range.

``*/*`` and an absent ``Accept`` take anything. A range with ``q=0`` excludes what it names.
"""

from __future__ import annotations

JSON = "application/json"
OCTET = "application/octet-stream"
TEXT_PLAIN = "text/plain; charset=utf-8"

TEXT_FILE = "text-file"
BINARY_FILE = "binary-file"

# kind -> offers in the server's order: (media type sent, media type matched, families served leniently)
_OFFERS = {
    JSON: ((JSON, JSON, ()),),
    TEXT_FILE: ((OCTET, OCTET, ("text", "application")), (TEXT_PLAIN, "text/plain", ())),
    BINARY_FILE: ((OCTET, OCTET, ("application",)),),
}


def media_ranges(accept: str):
    """(range, q) pairs of an Accept header, lower-cased; a bad q counts as 1."""
    ranges = []
    for item in accept.split(","):
        parts = item.split(";")
        media = parts[0].strip().lower()
        if not media:
            continue
        quality = 1.0
        for parameter in parts[1:]:
            name, value = (parameter.split("=", 1) + [""])[:2]
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 1.0
        ranges.append(("*/*" if media == "*" else media, quality))
    return ranges


def _match(ranges, matched: str, families) -> tuple:
    """(q, specificity) the most specific range matching ``matched`` gives it; (0, -1) when none."""
    best = (0.0, -1)
    for media, quality in ranges:
        if media == matched:
            specificity = 3
        elif media.endswith("/*") and matched.startswith(media[:-1]):
            specificity = 2
        elif media == "*/*":
            specificity = 0
        elif media.split("/")[0] in families:
            specificity = 1
        else:
            continue
        if specificity > best[1]:
            best = (quality, specificity)
    return best


def negotiate(accept: str | None, kind: str) -> str | None:
    """The media type to answer with, or None when the device would answer 406."""
    offers = _OFFERS[kind]
    if not accept or not accept.strip():
        return offers[0][0]
    ranges = media_ranges(accept)
    best, chosen = (0.0, -1), None
    for sent, matched, families in offers:
        score = _match(ranges, matched, families)
        if score[0] > 0 and score > best:
            best, chosen = score, sent
    return chosen
