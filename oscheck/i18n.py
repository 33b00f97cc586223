"""Translations: English message ids, named placeholders, Korean catalogues.

Every user-visible string goes through this module. Message ids are the English text;
``oscheck/locale/ko/*.po`` holds the Korean (one ``.po`` per area so that areas can be
translated independently; they are merged at load time). A test extracts every message
id from the code and checks that the Korean catalogue is complete.

Two ways to translate:

* ``_("Scanning {n} files", n=3)`` translates to the *current* language (CLI output);
* ``lt("Scanning {n} files", n=3)`` returns a :class:`LocalizedText` with both the English
  and the Korean text, for facts that are stored and rendered later (finding messages).

``N_("...")`` only marks a string for extraction (rule titles declared at import time).
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "N_", "LocalizedText", "_", "catalogue", "get_language", "lt", "set_language"]

LANGUAGES = ("en", "ko")
_LOCALE_DIR = Path(__file__).parent / "locale"
_language: str | None = None


@dataclass(frozen=True)
class LocalizedText:
    """One text in English and in Korean."""

    en: str
    ko: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def __str__(self) -> str:
        return self.get(get_language())


def N_(msgid: str) -> str:
    """Mark ``msgid`` for translation without translating it now."""
    return msgid


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All translations of ``lang``, merged from every ``.po`` file of that language."""
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    merged: dict[str, str] = {}
    folder = _LOCALE_DIR / lang
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        for message in cat:
            if message.id and message.string and not message.fuzzy:
                merged[str(message.id)] = str(message.string)
    return merged


def _detect_language() -> str:
    for var in ("OSCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def get_language() -> str:
    global _language
    if _language is None:
        _language = _detect_language()
    return _language


def set_language(lang: str | None) -> None:
    """Set the language of ``_()``; ``None`` goes back to the environment's choice."""
    global _language
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    _language = lang


def translate(msgid: str, lang: str, **params: Any) -> str:
    text = catalogue(lang).get(msgid, msgid) if lang != "en" else msgid
    if not params:
        return text
    return _SafeFormatter().format(text, **params)


def _(msgid: str, **params: Any) -> str:
    """Translate to the current language and fill the named placeholders."""
    return translate(msgid, get_language(), **params)


def lt(msgid: str, **params: Any) -> LocalizedText:
    """Translate to both languages at once, for texts that are stored and shown later."""
    return LocalizedText(en=translate(msgid, "en", **params), ko=translate(msgid, "ko", **params))


class _SafeFormatter(string.Formatter):
    """``str.format`` that leaves unknown placeholders visible instead of raising.

    A translator's typo must never crash a scan; the completeness test catches it.
    """

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)
