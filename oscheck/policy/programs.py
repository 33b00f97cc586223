"""What a program asks of a scanned repository, per track: required, reported, or off.

From the ``scan:`` table of ``policies/programs/<id>.yaml``::

    tracks:
      - id: use
        scan:
          external-api: required      # an error fails the scan
          publication: reported       # shown, capped at warning
          ...

and ``policies/policy.yaml`` ``default_scan:`` for scans without a program. Rules name
the check they serve (``Rule.check_key``); the engine sets their level from this table.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from oscheck.errors import PolicyError
from oscheck.i18n import _
from oscheck.model import Severity
from oscheck.policy.load import PolicySet


class Requirement(enum.Enum):
    REQUIRED = "required"
    REPORTED = "reported"
    OFF = "off"

    def level(self, severity: Severity) -> Severity | None:
        """The severity a finding gets under this requirement; ``None``: not reported."""
        if self is Requirement.OFF:
            return None
        if self is Requirement.REPORTED and severity is Severity.ERROR:
            return Severity.WARNING
        return severity


@dataclass(frozen=True)
class ProgramTrack:
    program: str
    track: str | None
    requirements: dict[str, Requirement]
    commercial: bool  # whether results are commercialised (non-commercial licenses then fail)
    name_ko: str = ""
    name_en: str = ""

    def requirement(self, check: str) -> Requirement:
        return self.requirements.get(check, Requirement.REPORTED)


def program_ids(policy: PolicySet) -> list[str]:
    return [p.rsplit("/", 1)[-1].removesuffix(".yaml") for p in policy.files("programs/*.yaml")]


def program_track(policy: PolicySet, program: str | None, track: str | None) -> ProgramTrack:
    """The requirement table for ``program``/``track`` (``PolicyError``, exit 2, if unknown)."""
    meta = policy.yaml("policy.yaml") or {}
    base = {k: Requirement(v) for k, v in (meta.get("default_scan") or {}).items()}
    if program is None:
        return ProgramTrack("", track, base, commercial=bool(meta.get("default_commercial", True)))
    known = program_ids(policy)
    if program not in known:
        raise PolicyError(
            _("unknown program '{program}'; known programs: {known}", program=program, known=", ".join(known))
        )
    data: dict[str, Any] = policy.yaml(f"programs/{program}.yaml") or {}
    tracks = data.get("tracks") or []
    track_ids = [str(t.get("id")) for t in tracks if isinstance(t, dict)]
    chosen: dict[str, Any] | None = None
    if track is None and len(tracks) == 1:
        chosen = tracks[0]
    elif track is not None:
        chosen = next((t for t in tracks if isinstance(t, dict) and str(t.get("id")) == track), None)
        if chosen is None:
            raise PolicyError(
                _(
                    "program '{program}' has no track '{track}'; its tracks: {tracks}",
                    program=program,
                    track=track,
                    tracks=", ".join(track_ids) or "-",
                )
            )
    reqs = dict(base)
    reqs.update({k: Requirement(v) for k, v in (data.get("scan") or {}).items()})
    commercial = bool(data.get("commercial", meta.get("default_commercial", True)))
    if chosen is not None:
        reqs.update({k: Requirement(v) for k, v in (chosen.get("scan") or {}).items()})
        commercial = bool(chosen.get("commercial", commercial))
    name = data.get("name") or {}
    return ProgramTrack(
        program=program,
        track=str(chosen.get("id")) if chosen else track,
        requirements=reqs,
        commercial=commercial,
        name_ko=str(name.get("ko", "")) if isinstance(name, dict) else "",
        name_en=str(name.get("en", "")) if isinstance(name, dict) else "",
    )
