"""``SPDX-License-Identifier`` and ``SPDX-FileCopyrightText`` tags, and REUSE data, read directly.

These are the project's own statements about its files; they are cheap to read (a byte
search) and need no license index. scancode sees the same tags; reading them here keeps
them available to ``--only`` runs and lets the policy compare what a header *says* with
what the LICENSE file says.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from oscheck import safeparse
from oscheck.detectors.interface import DetectContext, Detector
from oscheck.model import FileKind, FileOrigin, Location, Observation

_TAG = re.compile(rb"SPDX-License-Identifier:[ \t]*([^\r\n]*)")
_COPYRIGHT_TAG = re.compile(rb"SPDX-FileCopyrightText:[ \t]*([^\r\n]*)")
_IGNORE = re.compile(rb"REUSE-IgnoreStart")
# Comment closers and string quotes that trail a tag on the same line.
_TRAILER = re.compile(r"\s*(\*/|-->|#}|%>|\"\"\"|'''|[\"';,)]|\\n)+\s*$")


@dataclass(frozen=True, kw_only=True)
class SpdxLicenseTag(Observation):
    kind: ClassVar[str] = "spdx-license-tag"
    expression: str  # as written, trailing comment closers removed
    normalized: str | None  # the SPDX expression, normalised; None when it does not parse
    error: str | None = None
    origin: FileOrigin = FileOrigin.FIRST_PARTY


@dataclass(frozen=True, kw_only=True)
class SpdxCopyrightTag(Observation):
    kind: ClassVar[str] = "spdx-copyright-tag"
    text: str


@dataclass(frozen=True, kw_only=True)
class ReuseAnnotation(Observation):
    """A REUSE.toml ``[[annotations]]`` table or a ``.reuse/dep5`` paragraph."""

    kind: ClassVar[str] = "reuse-annotation"
    paths: tuple[str, ...]
    expression: str | None
    normalized: str | None
    copyrights: tuple[str, ...] = ()
    precedence: str = "closest"


@cache
def _spdx_licensing() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def normalize_spdx(expression: str) -> tuple[str | None, str | None]:
    """(normalised SPDX expression, None) or (None, what is wrong).

    ``LicenseRef-`` and ``DocumentRef-`` ids are accepted; any other id must be on the
    SPDX license list shipped with license-expression.
    """
    text = expression.strip()
    if not text:
        return None, "empty expression"
    too_big = safeparse.expression_problem(text)
    if too_big:
        return None, f"expression {too_big}"
    licensing = _spdx_licensing()
    try:
        parsed = licensing.parse(text, validate=False, strict=True)
    except Exception as exc:  # ExpressionError, ExpressionParseError, ParseError
        return None, str(exc)
    if parsed is None:
        return None, "empty expression"
    unknown = sorted(
        str(key)
        for key in licensing.unknown_license_keys(parsed)
        if not str(key).startswith(("LicenseRef-", "DocumentRef-"))
    )
    if unknown:
        return None, "unknown SPDX license id: " + ", ".join(unknown)
    try:
        return str(licensing.parse(text, validate=True, strict=True) if not _has_refs(parsed) else parsed), None
    except Exception:
        return str(parsed), None


def _has_refs(parsed: Any) -> bool:
    return any(str(k).startswith(("LicenseRef-", "DocumentRef-")) for k in _spdx_licensing().license_keys(parsed))


def clean_tag_value(raw: bytes) -> str:
    return _TRAILER.sub("", raw.decode("utf-8", "replace")).strip()


def _ignored_spans(data: bytes) -> list[tuple[int, int]]:
    """``REUSE-IgnoreStart`` … ``REUSE-IgnoreEnd`` regions (REUSE spec 3.2): not the file's tags."""
    spans = []
    for m in _IGNORE.finditer(data):
        end = data.find(b"REUSE-IgnoreEnd", m.end())
        spans.append((m.start(), len(data) if end < 0 else end))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


class SpdxTagDetector(Detector):
    id: ClassVar[str] = "spdx-tags"
    group: ClassVar[str] = "licenses"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        out: list[Observation] = []
        for record in ctx.inventory.scannable():
            if record.kind is not FileKind.TEXT or not ctx.selected(record):
                continue
            data = ctx.inventory.read(record)
            if b"SPDX-" not in data:
                continue
            ignored = _ignored_spans(data)
            for m in _TAG.finditer(data):
                if _inside(m.start(), ignored):
                    continue
                value = clean_tag_value(m.group(1))
                line = data.count(b"\n", 0, m.start()) + 1
                normalized, error = normalize_spdx(value)
                out.append(
                    SpdxLicenseTag(
                        detector=self.id,
                        location=Location(record.path, line),
                        expression=value,
                        normalized=normalized,
                        error=error,
                        origin=record.origin,
                    )
                )
            for m in _COPYRIGHT_TAG.finditer(data):
                if _inside(m.start(), ignored):
                    continue
                line = data.count(b"\n", 0, m.start()) + 1
                out.append(
                    SpdxCopyrightTag(
                        detector=self.id, location=Location(record.path, line), text=clean_tag_value(m.group(1))
                    )
                )
        return out


class ReuseDetector(Detector):
    """REUSE.toml (REUSE spec 3.2) and the older ``.reuse/dep5``."""

    id: ClassVar[str] = "reuse"
    group: ClassVar[str] = "licenses"

    def detect(self, ctx: DetectContext) -> list[Observation]:
        out: list[Observation] = []
        inv = ctx.inventory
        toml_file = inv.get("REUSE.toml")
        if toml_file is not None and toml_file.skipped is None:
            out += self._reuse_toml(inv.read_text(toml_file))
        dep5 = inv.get(".reuse/dep5")
        if dep5 is not None and dep5.skipped is None:
            out += self._dep5(inv.read_text(dep5))
        return out

    def _reuse_toml(self, text: str) -> list[Observation]:
        try:
            data = safeparse.load_toml(text)
        except tomllib.TOMLDecodeError as exc:
            return [
                ReuseAnnotation(
                    detector=self.id,
                    location=Location("REUSE.toml"),
                    paths=(),
                    expression=None,
                    normalized=None,
                    copyrights=(f"invalid TOML: {exc}",),
                )
            ]
        out: list[Observation] = []
        lines = text.splitlines()
        starts = [i + 1 for i, ln in enumerate(lines) if ln.strip() == "[[annotations]]"]
        annotations = data.get("annotations")
        for i, ann in enumerate(annotations if isinstance(annotations, list) else []):
            if not isinstance(ann, dict):
                continue
            paths_t = _strings(ann.get("path"))
            exprs = _strings(ann.get("SPDX-License-Identifier"))
            expr_s = " AND ".join(exprs) if exprs else None
            crs = _strings(ann.get("SPDX-FileCopyrightText"))
            normalized = normalize_spdx(expr_s)[0] if expr_s else None
            out.append(
                ReuseAnnotation(
                    detector=self.id,
                    location=Location("REUSE.toml", starts[i] if i < len(starts) else None),
                    paths=tuple(str(p) for p in paths_t),
                    expression=expr_s,
                    normalized=normalized,
                    copyrights=tuple(str(c) for c in crs),
                    precedence=str(ann.get("precedence", "closest")),
                )
            )
        return out

    def _dep5(self, text: str) -> list[Observation]:
        out: list[Observation] = []
        line_no = 0
        for para in re.split(r"\n\s*\n", text):
            start = line_no + 1
            line_no += para.count("\n") + 2
            fields: dict[str, list[str]] = {}
            current = None
            for ln in para.splitlines():
                if ln[:1] in (" ", "\t") and current:
                    fields[current].append(ln.strip())
                elif ":" in ln:
                    current, _, value = ln.partition(":")
                    fields[current.strip()] = [value.strip()]
            if "Files" not in fields:
                continue
            paths = tuple(p for v in fields["Files"] for p in v.split())
            expr = " ".join(fields.get("License", [""])[:1]).strip() or None
            normalized = normalize_spdx(expr)[0] if expr else None
            out.append(
                ReuseAnnotation(
                    detector=self.id,
                    location=Location(".reuse/dep5", start),
                    paths=paths,
                    expression=expr,
                    normalized=normalized,
                    copyrights=tuple(c for c in fields.get("Copyright", []) if c),
                )
            )
        return out


def _strings(value: object) -> tuple[str, ...]:
    """A REUSE.toml value that may be one string or a list of them; anything else is ignored."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()
