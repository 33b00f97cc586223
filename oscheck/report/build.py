"""From a store snapshot to the report's view models: pure functions, no I/O, no clock.

The verdict mapping (docs/report.md):

* a target whose latest scan failed, or a grantee with no scan at all: **unknown**;
* an error in the latest successful scan: **non-compliant**;
* a warning, an unknown fact (``policies/report.yaml``) on a check the program requires, a
  required check whose detectors did not run, or a scan made without the grantee's program:
  **needs remediation**;
* otherwise **compliant**. A grantee takes the worst verdict of its targets; an overdue
  obligation turns "compliant" into "needs remediation".
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from oscheck.detectors.registry import DETECTORS
from oscheck.errors import PolicyError
from oscheck.i18n import N_, LocalizedText
from oscheck.policy import Requirement, all_rules, program_track
from oscheck.policy.grants import all_grant_rules, grant_programs
from oscheck.policy.grants.obligations import obligation_status
from oscheck.policy.load import PolicySet
from oscheck.policy.programs import ProgramTrack
from oscheck.report.model import (
    ApiUseView,
    ApplicantRow,
    ChainStep,
    Change,
    CheckRow,
    CheckStatus,
    CommunityView,
    ComponentRow,
    ConflictRow,
    EligibilityView,
    FileRow,
    FindingView,
    GranteePage,
    HistoryRow,
    Labels,
    ModelView,
    Msg,
    ObligationView,
    PlainVerdict,
    Portfolio,
    PortfolioRow,
    ProgramPage,
    ProgramRequirement,
    ProgramTrackView,
    RuleEntry,
    RuleGroup,
    SelectionView,
    Site,
    TargetBrief,
    TargetView,
    TotalRow,
    TrendPoint,
)
from oscheck.report.snapshot import ApplicationRec, ScanRec, Snapshot

__all__ = ["KST", "ReportPolicy", "build_site", "kst", "report_policy", "rule_entries", "slugify"]

KST = timezone(timedelta(hours=9), "KST")  # Korea has no daylight saving time
# Caps that keep a page readable and printable; the JSON report linked from the page has all.
MAX_FILES = 300
MAX_COMPONENTS = 500
MAX_FINDINGS_PER_RULE = 50
_SEVERITY_RANK = {"error": 3, "warning": 2, "note": 1}
# Evidence keys shown elsewhere on the page or of no use to a reader.
_HIDDEN_DATA = {"key", "chain", "kind", "reasons", "sources", "rules", "fixes", "checks"}


@dataclass(frozen=True)
class ReportPolicy:
    """``policies/report.yaml``: which findings mean "could not tell", and the conflict section."""

    unknown_rules: frozenset[str]
    unknown_statuses: frozenset[str]
    conflict_rules: frozenset[str]


def report_policy(policy: PolicySet) -> ReportPolicy:
    raw = policy.yaml("report.yaml") or {}
    return ReportPolicy(
        unknown_rules=frozenset(raw.get("unknown_rules") or ()),
        unknown_statuses=frozenset(raw.get("unknown_statuses") or ()),
        conflict_rules=frozenset(raw.get("conflict_rules") or ()),
    )


def kst(moment: datetime) -> datetime:
    """The moment in Korean time (the agency's calendar decides which day a scan was made)."""
    return moment.astimezone(KST)


def slugify(text: str) -> str:
    """A file name that is safe on every file share: ASCII letters, digits, ``._-``; a short
    digest is appended whenever anything had to be replaced, so two ids never collide."""
    clean = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"
    if clean != text:
        clean = f"{clean[:60]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return clean


# --- rules ----------------------------------------------------------------------------------


def rule_entries(rp: ReportPolicy) -> tuple[RuleEntry, ...]:
    """Every rule: the scan rules, then the registry's eligibility and obligation rules."""
    out = [
        RuleEntry(
            id=r.id,
            name=r.name,
            kind="scan",
            severity=r.severity.value,
            check_key=r.check_key,
            title=r.title,
            explanation=r.explanation,
            fix=r.fix,
            sources=tuple((str(s), s.url) for s in r.sources),
            unknown=r.id in rp.unknown_rules,
        )
        for r in all_rules()
    ]
    out += [
        RuleEntry(
            id=g.id,
            name=g.name,
            kind=g.kind,
            severity=None,
            check_key=None,
            title=g.title,
            explanation=g.explanation,
            fix=g.fix,
            sources=tuple((str(s), s.url) for s in g.sources),
        )
        for g in all_grant_rules()
    ]
    return tuple(out)


@dataclass(frozen=True)
class _Ctx:
    policy: PolicySet
    rp: ReportPolicy
    today: date
    rules: Mapping[str, RuleEntry]
    requires: Mapping[str, tuple[str, ...]]  # scan rule id -> detector groups it reads
    key_groups: Mapping[str, frozenset[str]]  # check key -> detector groups serving it
    detector_groups: Mapping[str, str]  # detector id -> group

    def rule(self, rule_id: str) -> RuleEntry:
        found = self.rules.get(rule_id)
        if found is not None:
            return found
        # A rule a later oscheck removed: still shown, with its id.
        return RuleEntry(rule_id, rule_id.lower(), "scan", None, None, rule_id, "", "", ())


def _requirements(ctx: _Ctx, program: str | None, track: str | None) -> ProgramTrack:
    try:
        return program_track(ctx.policy, program, track)
    except PolicyError:
        return program_track(ctx.policy, None, None)


# --- one scan -------------------------------------------------------------------------------


def _where(loc: Mapping[str, Any] | None) -> str | None:
    if not loc or not loc.get("path"):
        return None
    line = loc.get("line")
    return f"{loc['path']}:{line}" if line else str(loc["path"])


def _text(value: Any, limit: int = 300) -> str:
    if isinstance(value, list | tuple):
        text = ", ".join(_text(v, limit) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}={_text(v, limit)}" for k, v in value.items())
    else:
        text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_unknown(f: Mapping[str, Any], rp: ReportPolicy) -> bool:
    data = f.get("data") or {}
    return f.get("rule_id") in rp.unknown_rules or (
        isinstance(data, dict) and data.get("status") in rp.unknown_statuses
    )


def _dependency_chain(report: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[ChainStep, ...]:
    """The path from a direct dependency to the component a finding is about (FOSSA's origin path)."""
    comps = [c for c in report.get("components") or () if isinstance(c, dict)]
    by_purl = {c.get("purl"): c for c in comps if c.get("purl")}
    target = data.get("purl")
    if target is None and data.get("kind") == "dependency" and data.get("component"):
        wanted = str(data["component"])
        target = next(
            (
                c.get("purl")
                for c in comps
                if f"{c.get('name')}@{c.get('version')}" == wanted or c.get("name") == wanted
            ),
            None,
        )
    if target is None or target not in by_purl:
        return ()
    parents: dict[str, list[str]] = defaultdict(list)
    for c in comps:
        for child in c.get("depends_on") or ():
            parents[str(child)].append(str(c.get("purl")))
    # Breadth-first upwards to the nearest direct dependency.
    paths: list[list[str]] = [[str(target)]]
    seen = {str(target)}
    while paths:
        nxt: list[list[str]] = []
        for path in paths:
            head = by_purl.get(path[0]) or {}
            if head.get("direct") or not parents.get(path[0]):
                if len(path) == 1:
                    return ()
                return tuple(
                    ChainStep(f"{by_purl[p].get('name')} {by_purl[p].get('version') or ''}".strip(), None)
                    for p in path
                    if p in by_purl
                )
            for parent in parents[path[0]]:
                if parent not in seen:
                    seen.add(parent)
                    nxt.append([parent, *path])
        paths = nxt
    return ()


def _finding_view(f: Mapping[str, Any], report: Mapping[str, Any], rp: ReportPolicy) -> FindingView:
    data = f.get("data") or {}
    data = data if isinstance(data, dict) else {}
    chain: tuple[ChainStep, ...] = tuple(
        ChainStep(_text(s.get("detail"), 200), _where(s)) for s in data.get("chain") or () if isinstance(s, dict)
    )
    if not chain:
        chain = _dependency_chain(report, data)
    details = tuple(
        (str(k), _text(v))
        for k, v in sorted(data.items())
        if k not in _HIDDEN_DATA and v not in (None, "", [], {}) and not isinstance(v, dict)
    )
    msg = f.get("message") or {}
    loc = f.get("location") or {}
    return FindingView(
        rule_id=str(f.get("rule_id")),
        severity=str(f.get("severity")),
        message=LocalizedText(en=str(msg.get("en", "")), ko=str(msg.get("ko") or msg.get("en", ""))),
        where=_where(loc),
        path=loc.get("path"),
        line=loc.get("line") if isinstance(loc.get("line"), int) else None,
        chain=chain,
        details=details,
        exempted=f.get("exempted"),
        unknown=_is_unknown(f, rp),
    )


def _groups_run(report: Mapping[str, Any], ctx: _Ctx) -> frozenset[str]:
    ran = (report.get("tool") or {}).get("detectors") or ()
    return frozenset(ctx.detector_groups.get(d, d) for d in ran)


def _checks(report: Mapping[str, Any], pt: ProgramTrack, ctx: _Ctx) -> tuple[CheckRow, ...]:
    """Each program requirement key: met, to improve, not met, unknown or not checked.

    A model scanned on its own (target kind ``model``) is judged only on what applies to a
    model (the checks its detectors serve); a repository on every requirement.
    """
    ran = _groups_run(report, ctx)
    model_target = (report.get("target") or {}).get("kind") == "model"
    by_key: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for f in report.get("findings") or ():
        if f.get("exempted"):
            continue
        by_key[ctx.rule(str(f.get("rule_id"))).check_key or ""].append(f)
    rows = []
    for key in sorted(ctx.key_groups):
        req = pt.requirement(key)
        if req is Requirement.OFF:
            continue
        groups = ctx.key_groups[key]
        if model_target and groups:
            if not groups & ran:
                continue
            groups = groups & ran
        missing = tuple(sorted(groups - ran))
        found = by_key.get(key, [])
        sevs = {str(f.get("severity")) for f in found}
        if groups and not (groups & ran):
            status = CheckStatus.NOT_CHECKED
        elif "error" in sevs:
            status = CheckStatus.FAIL
        elif any(_is_unknown(f, ctx.rp) for f in found):
            status = CheckStatus.UNKNOWN
        elif "warning" in sevs:
            status = CheckStatus.WARNING
        else:
            status = CheckStatus.PASS
        rules = tuple(
            sorted({str(f.get("rule_id")) for f in found if f.get("severity") != "note" or _is_unknown(f, ctx.rp)})
        )
        rows.append(CheckRow(key, req.value, status, rules, missing))
    order = {"required": 0, "reported": 1}
    return tuple(sorted(rows, key=lambda r: (order.get(r.requirement, 2), r.key)))


@dataclass(frozen=True)
class _Judged:
    verdict: PlainVerdict
    drivers: tuple[Msg, ...]
    unknowns: int
    checks: tuple[CheckRow, ...]


def _judge(scan: ScanRec, program: str | None, track: str | None, ctx: _Ctx) -> _Judged:
    """The plain verdict of one scan against the grantee's program (the mapping in the module doc)."""
    if not scan.ok or scan.report is None:
        return _Judged(
            PlainVerdict.UNKNOWN,
            (Msg.of(N_("The scan did not complete: {error}"), error=scan.error or "-"),),
            0,
            (),
        )
    report = scan.report
    pt = _requirements(ctx, program, track)
    checks = _checks(report, pt, ctx)
    live = [f for f in report.get("findings") or () if not f.get("exempted")]
    drivers: list[Msg] = []
    if scan.errors:
        rules = sorted({str(f.get("rule_id")) for f in live if f.get("severity") == "error"})
        drivers.append(Msg.of(N_("Errors: {n} ({rules})"), n=scan.errors, rules=", ".join(rules)))
    if scan.warnings:
        rules = sorted({str(f.get("rule_id")) for f in live if f.get("severity") == "warning"})
        drivers.append(Msg.of(N_("Warnings: {n} ({rules})"), n=scan.warnings, rules=", ".join(rules)))
    unknown_findings = [f for f in live if _is_unknown(f, ctx.rp)]
    required_unknown = [
        c for c in checks if c.requirement == "required" and c.status in (CheckStatus.UNKNOWN, CheckStatus.NOT_CHECKED)
    ]
    partial = [
        c for c in checks if c.requirement == "required" and c.missing and c.status is not CheckStatus.NOT_CHECKED
    ]
    not_checked = [c.key for c in checks if c.requirement == "required" and c.status is CheckStatus.NOT_CHECKED]
    if unknown_findings:
        drivers.append(
            Msg.of(N_("Facts that could not be determined (unknown, not a pass): {n}"), n=len(unknown_findings))
        )
    if not_checked or partial:
        drivers.append(
            Msg.of(
                N_("Required checks not (fully) run: {checks}"),
                checks=Labels("check", tuple(not_checked + [c.key for c in partial])),
            )
        )
    mismatch = program is not None and (scan.program != program or (track is not None and scan.track != track))
    if mismatch:
        drivers.append(
            Msg.of(
                N_("Scanned without this program's requirements (scanned as: {scanned})"),
                scanned=f"{scan.program or '-'} / {scan.track or '-'}",
            )
        )
    if scan.errors:
        verdict = PlainVerdict.NON_COMPLIANT
    elif (
        scan.warnings
        or required_unknown
        or partial
        or mismatch
        or any(c.requirement == "required" and c.status is CheckStatus.UNKNOWN for c in checks)
    ):
        verdict = PlainVerdict.NEEDS_WORK
    else:
        verdict = PlainVerdict.COMPLIANT
        drivers.append(Msg.of(N_("No error or warning; every required check ran")))
    unknowns = len(unknown_findings) + len(not_checked)
    return _Judged(verdict, tuple(drivers), unknowns, checks)


def _components(report: Mapping[str, Any]) -> tuple[ComponentRow, ...]:
    rows = []
    for c in report.get("components") or ():
        if not isinstance(c, dict):
            continue
        home = c.get("homepage")
        rows.append(
            ComponentRow(
                name=str(c.get("name")),
                version=c.get("version"),
                ecosystem=str(c.get("ecosystem") or ""),
                scope=c.get("scope"),
                direct=bool(c.get("direct")),
                homepage=home if isinstance(home, str) and home.startswith(("https://", "http://")) else None,
                license=c.get("license"),
                license_source=c.get("license_source"),
                manifest=c.get("manifest"),
                purl=c.get("purl"),
            )
        )
    rows.sort(key=lambda r: (not r.direct, r.ecosystem, r.name.lower(), r.version or ""))
    return tuple(rows[:MAX_COMPONENTS])


def _purl_name(report: Mapping[str, Any], purl: Any) -> str | None:
    """``name@version`` of the component with this purl (as the other rows name components)."""
    if not purl:
        return None
    for c in report.get("components") or ():
        if isinstance(c, dict) and c.get("purl") == purl:
            return f"{c.get('name')}@{c.get('version')}" if c.get("version") else str(c.get("name"))
    return str(purl)


def _conflicts(report: Mapping[str, Any], ctx: _Ctx) -> tuple[ConflictRow, ...]:
    out = []
    for f in report.get("findings") or ():
        if f.get("exempted") or f.get("rule_id") not in ctx.rp.conflict_rules:
            continue
        data = f.get("data") or {}
        view = _finding_view(f, report, ctx.rp)
        component = (
            data.get("component") or data.get("model") or _purl_name(report, data.get("purl")) or view.path or "-"
        )
        kind = data.get("kind") or ("model" if str(f.get("rule_id")).startswith("MOD") else "dependency")
        conditions = data.get("conditions") or ()
        out.append(
            ConflictRow(
                component=str(component),
                kind=str(kind),
                license=data.get("license") if isinstance(data.get("license"), str) else None,
                severity=view.severity,
                rule_id=view.rule_id,
                message=view.message,
                chain=view.chain,
                conditions=tuple(_text(c, 200) for c in conditions) if isinstance(conditions, list) else (),
            )
        )
    out.sort(key=lambda r: (-_SEVERITY_RANK.get(r.severity, 0), r.component, r.rule_id))
    return tuple(out)


def _line_ranges(lines: Any) -> str | None:
    parts = []
    for pair in lines or ():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            parts.append(f"{pair[0]}" if pair[0] == pair[1] else f"{pair[0]}-{pair[1]}")
    return ", ".join(parts) or None


def _file_rows(report: Mapping[str, Any]) -> tuple[FileRow, ...]:
    """검증 확인 파일 현황: each file with a license finding or a rule's finding."""
    licenses: dict[str, list[str]] = defaultdict(list)
    origin: dict[str, str] = {}
    lines: dict[str, list[str]] = defaultdict(list)
    for lic in report.get("licenses") or ():
        path = lic.get("path")
        if not path:
            continue
        name = lic.get("spdx") or lic.get("expression") or "?"
        if name not in licenses[path]:
            licenses[path].append(str(name))
        if lic.get("origin"):
            origin[path] = str(lic["origin"])
        rng = _line_ranges(lic.get("lines"))
        if rng and rng not in lines[path]:
            lines[path].append(rng)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rules: dict[str, set[str]] = defaultdict(set)
    for f in report.get("findings") or ():
        path = (f.get("location") or {}).get("path")
        if path and not f.get("exempted"):
            counts[path][str(f.get("severity"))] += 1
            rules[path].add(str(f.get("rule_id")))
    rows = [
        FileRow(
            path=p,
            licenses=tuple(licenses.get(p, ())),
            origin=origin.get(p),
            lines=", ".join(lines.get(p, ())) or None,
            errors=counts[p]["error"],
            warnings=counts[p]["warning"],
            notes=counts[p]["note"],
            rules=tuple(sorted(rules.get(p, ()))),
        )
        for p in sorted(set(licenses) | set(counts))
    ]
    rows.sort(key=lambda r: (-r.errors, -r.warnings, -r.notes, r.origin == "first-party", r.path))
    return tuple(rows[:MAX_FILES])


def _groups(report: Mapping[str, Any], ctx: _Ctx) -> tuple[tuple[RuleGroup, ...], tuple[FindingView, ...]]:
    by_rule: dict[str, list[FindingView]] = defaultdict(list)
    exempted = []
    for f in report.get("findings") or ():
        view = _finding_view(f, report, ctx.rp)
        if view.exempted:
            exempted.append(view)
        else:
            by_rule[view.rule_id].append(view)
    groups = []
    for rule_id, views in by_rule.items():
        worst = max(views, key=lambda v: _SEVERITY_RANK.get(v.severity, 0)).severity
        views.sort(key=lambda v: (-_SEVERITY_RANK.get(v.severity, 0), v.where or ""))
        groups.append(RuleGroup(ctx.rule(rule_id), worst, tuple(views[:MAX_FINDINGS_PER_RULE])))
    groups.sort(key=lambda g: (-_SEVERITY_RANK.get(g.severity, 0), g.rule.id))
    return tuple(groups), tuple(exempted)


def _models(report: Mapping[str, Any]) -> tuple[ModelView, ...]:
    out = []
    for mdl in report.get("models") or ():
        if not isinstance(mdl, dict):
            continue
        url = mdl.get("url")
        out.append(
            ModelView(
                id=str(mdl.get("id")),
                source=str(mdl.get("source") or ""),
                revision=mdl.get("revision"),
                declared=bool(mdl.get("declared")),
                used_at=tuple(w for w in (_where(u) for u in mdl.get("used_at") or ()) if w),
                license=mdl.get("license"),
                license_tag=mdl.get("license_tag"),
                openness=str(mdl.get("openness") or "unknown"),
                conditions=tuple(_text(c, 200) for c in mdl.get("conditions") or ()),
                gated=mdl.get("gated"),
                lineage=tuple(
                    (str(a.get("id")), str(a.get("relation") or "unknown"), a.get("license"), a.get("problem"))
                    for a in mdl.get("lineage") or ()
                    if isinstance(a, dict)
                ),
                weights=len(mdl.get("weights") or ()),
                url=url if isinstance(url, str) and url.startswith("https://") else None,
            )
        )
    return tuple(out)


def _api_uses(report: Mapping[str, Any]) -> tuple[ApiUseView, ...]:
    out = []
    order = {"external": 0, "review": 1, "local": 2, "test-only": 3}
    for u in (report.get("evidence") or {}).get("ai-api-use") or ():
        out.append(
            ApiUseView(
                provider=str(u.get("provider_name") or u.get("provider") or "-"),
                classification=str(u.get("classification") or "review"),
                where=_where(u.get("location")),
                endpoint=u.get("endpoint"),
                chain=tuple(
                    ChainStep(_text(s.get("detail"), 200), _where(s))
                    for s in u.get("chain") or ()
                    if isinstance(s, dict)
                ),
            )
        )
    out.sort(key=lambda a: (order.get(a.classification, 9), a.where or ""))
    return tuple(out)


def _community(report: Mapping[str, Any]) -> CommunityView | None:
    ev = report.get("evidence") or {}
    files = ev.get("community-file") or ()
    hist = (ev.get("git-history") or [None])[0]
    if not files and hist is None:
        return None
    hist = hist or {}
    tags = (ev.get("release-tags") or [{}])[0]
    forge = (ev.get("forge-repository") or [{}])[0]
    readme = (ev.get("readme") or [{}])[0]
    score = None
    for f in report.get("findings") or ():
        if f.get("rule_id") == "COM030" and isinstance((f.get("data") or {}).get("score"), int | float):
            score = float(f["data"]["score"])
    return CommunityView(
        files=tuple(
            (str(f.get("item")), str(f.get("status")), (f.get("paths") or [None])[0])
            for f in files
            if isinstance(f, dict)
        ),
        history_status=str(hist.get("status") or "unknown"),
        commits_per_month=tuple((str(m), int(n)) for m, n in hist.get("commits_per_month") or ()),
        commits_in_period=hist.get("commits_in_period"),
        authors_in_period=hist.get("authors_in_period"),
        bus_factor=hist.get("bus_factor"),
        days_since_last_commit=hist.get("days_since_last_commit"),
        last_commit_date=hist.get("last_commit_date"),
        active_months=hist.get("active_months"),
        months_in_period=hist.get("months_in_period"),
        release_tags=tags.get("version_tags"),
        latest_tag=tags.get("latest"),
        forge="api" if forge.get("reachable") else "off",
        forge_skipped=tuple(str(s) for s in forge.get("skipped") or ()),
        score=score,
        readme_sections=tuple(str(s) for s in readme.get("sections") or ()),
    )


def _diff(old: ScanRec | None, new: ScanRec | None) -> tuple[set[str], set[str]]:
    if old is None or new is None:
        return set(), set()
    a = {f.fingerprint for f in old.findings}
    b = {f.fingerprint for f in new.findings}
    return b - a, a - b


def _target_name(uri: str) -> str:
    tail = uri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return tail.removesuffix(".git") or uri


def _target_view(
    history: Sequence[ScanRec], program: str | None, track: str | None, ctx: _Ctx, prefix: str
) -> TargetView:
    latest = history[-1]
    oks = [s for s in history if s.ok and s.report is not None]
    detail = oks[-1] if oks else None
    previous = oks[-2] if len(oks) > 1 else None
    judged = _judge(latest, program, track, ctx)
    detail_judged = _judge(detail, program, track, ctx) if detail is not None and detail is not latest else judged
    report: Mapping[str, Any] = detail.report if detail is not None and detail.report is not None else {}
    groups, exempted = _groups(report, ctx)
    added_fp, removed_fp = _diff(previous, detail)
    change = None
    if previous is not None and detail is not None:
        change = Change(
            added=len(added_fp),
            removed=len(removed_fp),
            previous_verdict=_judge(previous, program, track, ctx).verdict,
            previous_scan=previous.id,
        )
    prev_report: Mapping[str, Any] = previous.report if previous is not None and previous.report is not None else {}
    added = tuple(
        _finding_view(f, report, ctx.rp) for f in report.get("findings") or () if f.get("fingerprint") in added_fp
    )
    removed = tuple(
        _finding_view(f, prev_report, ctx.rp)
        for f in prev_report.get("findings") or ()
        if f.get("fingerprint") in removed_fp
    )
    pl = report.get("project_license") or {}
    statements = tuple(
        (str(s.get("source")), s.get("path"), s.get("spdx") or s.get("expression"))
        for s in pl.get("statements") or ()
        if isinstance(s, dict)
    )
    violating = {
        (f.get("location") or {}).get("path")
        for f in report.get("findings") or ()
        if f.get("rule_id") == "LIC003" and not f.get("exempted")
    }
    target = report.get("target") or {}
    return TargetView(
        anchor=f"t-{prefix}-{slugify(latest.target_uri)}",
        uri=latest.target_uri,
        name=_target_name(latest.target_uri),
        ref=latest.ref or target.get("ref"),
        commit=latest.commit,
        dirty=latest.dirty,
        scan_id=latest.id,
        run_id=latest.run_id,
        scanned_at=latest.started_at,
        status=latest.status,
        error=latest.error,
        verdict=judged.verdict,
        drivers=judged.drivers,
        errors=latest.errors,
        warnings=latest.warnings,
        notes=latest.notes,
        exempted=latest.exempted,
        unknowns=judged.unknowns,
        tool_version=latest.tool_version,
        policy_version=latest.policy_version,
        scanned_program=latest.program,
        scanned_track=latest.track,
        detail_scan_id=detail.id if detail is not None else None,
        detectors=tuple(sorted(_groups_run(report, ctx))),
        checks=detail_judged.checks,
        project_license=pl.get("spdx"),
        license_statements=statements,
        files={str(k): int(v) for k, v in (report.get("files") or {}).items() if isinstance(v, int)},
        violating_files=len({p for p in violating if p}),
        components=_components(report),
        conflicts=_conflicts(report, ctx),
        file_rows=_file_rows(report),
        groups=groups,
        exempted_findings=exempted,
        models=_models(report),
        api_uses=_api_uses(report),
        community=_community(report),
        artifacts=(),
        change=change,
        added=added,
        removed=removed,
        rule_counts=tuple(
            (rule, sev, n)
            for (rule, sev), n in sorted(
                Counter(
                    (str(f.get("rule_id")), str(f.get("severity")))
                    for f in report.get("findings") or ()
                    if not f.get("exempted")
                ).items()
            )
        ),
    )


# --- grantees -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grantee:
    key: str
    application: ApplicationRec | None
    organisation: str | None
    scans: tuple[ScanRec, ...]
    portfolio_id: str | None  # the batch portfolio's grantee id
    portfolio_name: str | None

    @property
    def program(self) -> str | None:
        if self.application is not None:
            return self.application.program_id
        return next((s.program for s in reversed(self.scans) if s.program), None)

    @property
    def track(self) -> str | None:
        if self.application is not None:
            return self.application.track_id
        return next((s.track for s in reversed(self.scans) if s.track), None)


def _grantees(snap: Snapshot, program_filter: str | None) -> list[_Grantee]:
    """Who is in the portfolio: every application with an agreement, a selection or a scan;
    every grantee of a batch portfolio; every organisation or target with a scan.

    Scans are grouped by application (the registry's link), else by the portfolio's grantee
    id, else by organisation, else by target. A portfolio grantee linked to an application
    is one grantee, not two.
    """
    by_key: dict[str, list[ScanRec]] = defaultdict(list)
    for s in snap.scans:
        if s.application_id:
            key = f"app:{s.application_id}"
        elif s.grantee_id:
            key = f"grantee:{s.grantee_id}"
        elif s.organisation_id:
            key = f"org:{s.organisation_id}"
        else:
            key = f"target:{s.target_uri}"
        by_key[key].append(s)
    keys = set(by_key)
    for app_id in snap.applications:
        sel = snap.selections.get(app_id)
        if app_id in snap.agreements or (sel is not None and sel.decision == "selected"):
            keys.add(f"app:{app_id}")
    out = []
    for key in sorted(keys):
        kind, _, ident = key.partition(":")
        app = snap.applications.get(ident) if kind == "app" else None
        scans = tuple(by_key.get(key, ()))
        if app is not None:
            org = app.lead
        elif kind == "org":
            org = ident
        else:
            org = next((s.organisation_id for s in scans if s.organisation_id), None)
        g = _Grantee(
            key=key,
            application=app,
            organisation=org,
            scans=scans,
            portfolio_id=next((s.grantee_id for s in reversed(scans) if s.grantee_id), None),
            portfolio_name=next((s.grantee_name for s in reversed(scans) if s.grantee_name), None),
        )
        if program_filter is not None and g.program != program_filter:
            continue
        out.append(g)
    return out


def _obligations(snap: Snapshot, app_id: str | None, today: date) -> tuple[ObligationView, ...]:
    ag = snap.agreements.get(app_id) if app_id else None
    if ag is None:
        return ()
    out = []
    for o in ag.obligations:
        status = obligation_status(o.opens_on, o.due_on, o.completed_on, today).value
        url = o.evidence_url if o.evidence_url and o.evidence_url.startswith(("https://", "http://")) else None
        out.append(
            ObligationView(
                name=LocalizedText(en=o.name_en or o.name_ko, ko=o.name_ko or o.name_en),
                rule_id=o.rule_id,
                seq=o.seq,
                opens_on=o.opens_on,
                due_on=o.due_on,
                status=status,
                provisional=o.provisional,
                completed_on=o.completed_on,
                evidence_url=url,
                evidence_scan=o.evidence_scan_id,
                source=o.source,
                days_left=(o.due_on - today).days,
            )
        )
    return tuple(out)


def _eligibility(snap: Snapshot, app_id: str | None) -> tuple[tuple[EligibilityView, ...], str | None]:
    recs = snap.eligibility.get(app_id or "", ())
    views = tuple(
        EligibilityView(
            rule_id=e.rule_id,
            outcome=e.outcome,
            requirement=LocalizedText(en=e.requirement_en, ko=e.requirement_ko),
            message=LocalizedText(en=e.message_en, ko=e.message_ko),
            source=e.source,
        )
        for e in recs
    )
    outcomes = {e.outcome for e in recs}
    overall = None
    if recs:
        overall = "fail" if "fail" in outcomes else "unknown" if "unknown" in outcomes else "pass"
    return views, overall


def _names(snap: Snapshot, program: str | None, track: str | None) -> tuple[LocalizedText | None, LocalizedText | None]:
    prog = next((p for p in snap.programs if p.id == program), None)
    if prog is None:
        return None, None
    pname = LocalizedText(en=prog.name_en or prog.name_ko, ko=prog.name_ko)
    tname = next((LocalizedText(en=en or ko, ko=ko) for tid, ko, en in prog.tracks if tid == track), None)
    return pname, tname


def _grantee_page(g: _Grantee, snap: Snapshot, ctx: _Ctx) -> GranteePage:
    app = g.application
    program, track = g.program, g.track
    histories: dict[str, list[ScanRec]] = defaultdict(list)
    for s in g.scans:
        histories[s.target_uri].append(s)
    prefix = slugify(g.portfolio_id or g.key)
    targets = tuple(_target_view(h, program, track, ctx, prefix) for _, h in sorted(histories.items()))
    obligations = _obligations(snap, app.id if app else None, ctx.today)
    overdue = sum(1 for o in obligations if o.status == "overdue")
    due = sum(1 for o in obligations if o.status == "due")
    drivers: list[Msg] = []
    if not targets:
        verdict = PlainVerdict.UNKNOWN
        drivers.append(Msg.of(N_("No repository of this grantee has been scanned")))
    else:
        verdict = min((t.verdict for t in targets), key=lambda v: v.rank)
        for t in targets:
            for d in t.drivers:
                drivers.append(Msg.of(N_("{target}: {reason}"), target=t.name, reason=d) if len(targets) > 1 else d)
    if overdue:
        drivers.append(Msg.of(N_("Obligations overdue: {n}"), n=overdue))
        if verdict is PlainVerdict.COMPLIANT:
            verdict = PlainVerdict.NEEDS_WORK
            drivers = [d for d in drivers if d.msgid != "No error or warning; every required check ran"]
    changes = [t.change for t in targets if t.change is not None]
    change = None
    if changes:
        prev = [c.previous_verdict for c in changes if c.previous_verdict is not None]
        change = Change(
            added=sum(c.added for c in changes),
            removed=sum(c.removed for c in changes),
            previous_verdict=min(prev, key=lambda v: v.rank) if prev else None,
            previous_scan=max(c.previous_scan or 0 for c in changes) or None,
        )
    org = snap.organisations.get(g.organisation or "")
    if g.portfolio_name:
        name = g.portfolio_name
    elif org is not None:
        name = org.name
    elif targets:
        name = targets[0].name
    else:
        name = g.key.partition(":")[2]
    pname, tname = _names(snap, program, track)
    kind, _sep, ident = g.key.partition(":")
    slug = slugify(g.portfolio_id or (ident if kind in ("app", "grantee") else g.key.replace(":", "-")))
    row = PortfolioRow(
        slug=slug,
        name=name,
        grantee_id=g.portfolio_id,
        application=app.id if app else None,
        title=app.title if app else None,
        program=program,
        program_name=pname,
        track=track,
        track_name=tname,
        verdict=verdict,
        drivers=tuple(drivers),
        errors=sum(t.errors for t in targets),
        warnings=sum(t.warnings for t in targets),
        notes=sum(t.notes for t in targets),
        unknowns=sum(t.unknowns for t in targets),
        due=due,
        overdue=overdue,
        targets=tuple(TargetBrief(t.name, t.commit, t.scanned_at, t.status, t.scan_id) for t in targets),
        last_scan=max((t.scanned_at for t in targets), default=None),
        change=change,
    )
    history = []
    for uri, scans in sorted(histories.items()):
        prev_ok: ScanRec | None = None
        for s in scans:
            added, removed = _diff(prev_ok, s) if s.ok else (set(), set())
            history.append(
                HistoryRow(
                    scan_id=s.id,
                    run_id=s.run_id,
                    target=_target_name(uri),
                    commit=s.commit,
                    scanned_at=s.started_at,
                    status=s.status,
                    verdict=_judge(s, program, track, ctx).verdict,
                    errors=s.errors,
                    warnings=s.warnings,
                    added=len(added) if prev_ok is not None and s.ok else None,
                    removed=len(removed) if prev_ok is not None and s.ok else None,
                )
            )
            if s.ok:
                prev_ok = s
    history.sort(key=lambda h: (h.scanned_at, h.scan_id), reverse=True)
    elig, elig_overall = _eligibility(snap, app.id if app else None)
    sel = snap.selections.get(app.id) if app else None
    members: tuple[tuple[str, str], ...] = ()
    if app is not None:
        members = tuple(
            ((snap.organisations[o].name if o in snap.organisations else o), role) for o, role in app.members
        )
    ag = snap.agreements.get(app.id) if app else None
    return GranteePage(
        row=row,
        organisation=g.organisation,
        members=members,
        agreement=(ag.start, ag.end) if ag else None,
        targets=targets,
        obligations=obligations,
        eligibility=elig,
        eligibility_outcome=elig_overall,
        selection=SelectionView(
            score=sel.score,
            rank=sel.rank,
            decision=sel.decision,
            stages=sel.stages,
            reasons=tuple(LocalizedText(en=en, ko=ko) for en, ko in sel.reasons),
        )
        if sel
        else None,
        history=tuple(history),
    )


# --- portfolio and programs ------------------------------------------------------------------


def _total(rows: Iterable[PortfolioRow], program: str | None, track: str | None, snap: Snapshot) -> TotalRow:
    rows = list(rows)
    pname, tname = _names(snap, program, track)
    counts = Counter(r.verdict for r in rows)
    return TotalRow(
        program=program,
        program_name=pname,
        track=track,
        track_name=tname,
        grantees=len(rows),
        verdicts={v: counts.get(v, 0) for v in PlainVerdict},
        errors=sum(r.errors for r in rows),
        warnings=sum(r.warnings for r in rows),
        due=sum(r.due for r in rows),
        overdue=sum(r.overdue for r in rows),
    )


def _trend(pages: Sequence[GranteePage], snap: Snapshot) -> tuple[TrendPoint, ...]:
    uris = {t.uri for p in pages for t in p.targets}
    groups: dict[tuple[int | None, date | None], list[ScanRec]] = defaultdict(list)
    for s in snap.scans:
        if s.target_uri in uris:
            groups[(s.run_id, None if s.run_id is not None else kst(s.started_at).date())].append(s)
    points = [
        TrendPoint(
            run_id=run_id,
            day=kst(min(s.started_at for s in scans)).date(),
            targets=len(scans),
            failed=sum(1 for s in scans if not s.ok),
            errors=sum(s.errors for s in scans if s.ok),
            warnings=sum(s.warnings for s in scans if s.ok),
        )
        for (run_id, _day), scans in groups.items()
    ]
    return tuple(sorted(points, key=lambda p: (p.day, p.run_id or 0)))


def _portfolio(pages: Sequence[GranteePage], snap: Snapshot) -> Portfolio:
    rows = tuple(
        sorted((p.row for p in pages), key=lambda r: (r.verdict.rank, r.program or "~", r.track or "", r.name))
    )
    groups: dict[tuple[str | None, str | None], list[PortfolioRow]] = defaultdict(list)
    for r in rows:
        groups[(r.program, r.track)].append(r)
    totals = tuple(
        _total(v, p, t, snap) for (p, t), v in sorted(groups.items(), key=lambda kv: (kv[0][0] or "~", kv[0][1] or ""))
    )
    return Portfolio(rows=rows, totals=totals, overall=_total(rows, None, None, snap), trend=_trend(pages, snap))


def _program_pages(
    snap: Snapshot, ctx: _Ctx, rows: Sequence[PortfolioRow], program_filter: str | None
) -> tuple[ProgramPage, ...]:
    pages = []
    scan_rules = [r for r in ctx.rules.values() if r.kind == "scan"]
    row_by_app = {r.application: r for r in rows if r.application}
    for p in grant_programs(ctx.policy):
        if program_filter is not None and p.id != program_filter:
            continue
        tracks = []
        for t in p.tracks:
            pt = _requirements(ctx, p.id, t.id)
            reqs = tuple(
                (key, pt.requirement(key).value, tuple(r.id for r in scan_rules if r.check_key == key))
                for key in sorted(ctx.key_groups)
            )
            scoring: list[tuple[LocalizedText, str, tuple[tuple[str, str, str], ...]]] = []
            if t.scoring is not None:
                for st in t.scoring.stages:
                    weight = t.scoring.final.get(st.id)
                    scoring.append(
                        (
                            st.name.localized(),
                            f"{weight * 100:g}%" if weight is not None else "-",
                            tuple((i.ko, i.en, f"{i.max:g}") for i in st.items),
                        )
                    )
            tracks.append(ProgramTrackView(t.id, t.name.localized(), reqs, tuple(scoring)))
        elig = tuple(
            ProgramRequirement(e.id, e.rule, e.text.localized(), p.cite(e.source), e.source.quote, e.tracks)
            for e in p.eligibility
        )
        obls = tuple(
            ProgramRequirement(o.id, o.rule, o.name.localized(), p.cite(o.source), o.source.quote, o.tracks)
            for o in p.obligations
        )
        applicants = []
        for app in snap.applications.values():
            if app.program_id != p.id:
                continue
            lead = snap.organisations.get(app.lead or "")
            sel = snap.selections.get(app.id)
            _views, overall = _eligibility(snap, app.id)
            row = row_by_app.get(app.id)
            applicants.append(
                ApplicantRow(
                    application=app.id,
                    name=lead.name if lead else (app.lead or "-"),
                    track=app.track_id,
                    eligibility=overall,
                    score=sel.score if sel else None,
                    rank=sel.rank if sel else None,
                    decision=sel.decision if sel else None,
                    slug=row.slug if row else None,
                )
            )
        applicants.sort(key=lambda a: (a.track, a.rank if a.rank is not None else 10**6, a.application))
        pages.append(
            ProgramPage(
                id=p.id,
                slug=slugify(p.id),
                name=p.name.localized(),
                source=p.source,
                call_id=p.call.id,
                announced=p.call.announced,
                deadline=p.call.deadline,
                tracks=tuple(tracks),
                eligibility=elig,
                obligations=obls,
                applicants=tuple(applicants),
                grantees=tuple(r for r in rows if r.program == p.id),
            )
        )
    return tuple(pages)


def _context(policy: PolicySet, today: date) -> _Ctx:
    rp = report_policy(policy)
    entries = rule_entries(rp)
    requires = {r.id: r.requires for r in all_rules()}
    key_groups: dict[str, set[str]] = defaultdict(set)
    for r in all_rules():
        key_groups[r.check_key].update(r.requires)
    return _Ctx(
        policy=policy,
        rp=rp,
        today=today,
        rules={e.id: e for e in entries},
        requires=requires,
        key_groups={k: frozenset(v) for k, v in key_groups.items()},
        detector_groups={d.id: d.group for d in DETECTORS},
    )


def build_site(
    snap: Snapshot,
    policy: PolicySet,
    today: date,
    *,
    tool_version: str,
    program: str | None = None,
    artifacts: Mapping[int, Sequence[tuple[str, str]]] | None = None,
) -> Site:
    """Every page's view model. ``artifacts`` maps a scan id to extra files written for it
    (label message id, path relative to the site root), e.g. its SBOMs."""
    ctx = _context(policy, today)
    pages = [_grantee_page(g, snap, ctx) for g in _grantees(snap, program)]
    written = sorted(
        {s.id for g in pages for t in g.targets for s in snap.scans if s.target_uri == t.uri and s.report is not None}
    )
    extra = artifacts or {}

    def with_artifacts(t: TargetView) -> TargetView:
        if t.detail_scan_id is None:
            return t
        links = [(N_("JSON report"), f"data/scans/{t.detail_scan_id}.json"), *extra.get(t.detail_scan_id, ())]
        return replace(t, artifacts=tuple(links))

    pages = [replace(p, targets=tuple(with_artifacts(t) for t in p.targets)) for p in pages]
    portfolio = _portfolio(pages, snap)
    order = {r.slug: i for i, r in enumerate(portfolio.rows)}
    pages.sort(key=lambda p: order[p.row.slug])
    return Site(
        today=today,
        tool_version=tool_version,
        policy_version=policy.version,
        program_filter=program,
        portfolio=portfolio,
        grantees=tuple(pages),
        programs=_program_pages(snap, ctx, portfolio.rows, program),
        rules=tuple(ctx.rules.values()),
        scans_written=tuple(written),
    )
