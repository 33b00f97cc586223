"""``oscheck registry import FILE``: YAML or CSV into the registry, all or nothing.

The whole file is read and checked before anything is written; the first problem stops
the import with one line naming the file, the row (or the YAML entry and its line) and
the column, e.g. ``orgs.csv:4: row 3, column 'incorporated': '2019-13-01' is not a date
(YYYY-MM-DD)``. Then every record is written in the caller's one transaction. The format
is documented in ``docs/registry.md``; examples are in ``examples/registry/``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from oscheck.errors import InputError
from oscheck.i18n import _
from oscheck.policy.grants import model as gm
from oscheck.policy.grants.program import grant_programs
from oscheck.policy.load import PolicySet
from oscheck.store.registry import (
    AgreementRecord,
    ApplicationRecord,
    EvidenceRecord,
    record_evidence,
    sync_obligations,
    sync_programs,
    upsert_agreement,
    upsert_application,
    upsert_organisation,
)

__all__ = ["ImportBatch", "read_import_file", "write_batch"]


@dataclass
class ImportBatch:
    organisations: list[gm.Organisation] = field(default_factory=list)
    applications: list[ApplicationRecord] = field(default_factory=list)
    agreements: list[AgreementRecord] = field(default_factory=list)
    evidence: list[EvidenceRecord] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.organisations) + len(self.applications) + len(self.agreements) + len(self.evidence)


class _LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """Safe YAML that remembers the line of every mapping and key (for error messages)."""


def _mapping_with_lines(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[_LineDict]:
    data = _LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {str(k.value): k.start_mark.line + 1 for k, _v in node.value}
    yield data
    data.update({str(k): v for k, v in loader.construct_mapping(node).items()})


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # PyYAML turns 2019-13-01 into a ValueError deep inside the parser; as text it reaches
    # the date check, which names the entry and the field.
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping_with_lines)


# --- one record, wherever it came from ----------------------------------------------------


@dataclass(frozen=True)
class _Rec:
    """A mapping with the words that locate it in the file."""

    data: Mapping[str, Any]
    file: str
    where: str  # "organisations[2]" or "row 3"
    line: int
    csv: bool = False

    def fail(self, key: str | None, problem: str) -> InputError:
        col = _("column") if self.csv else _("field")
        line = getattr(self.data, "key_lines", {}).get(key, self.line) if key else self.line
        at = f"{self.file}:{line}: {self.where}" + (f", {col} '{key}'" if key else "")
        return InputError(f"{at}: {problem}")

    def child(self, key: str, index: int, data: Mapping[str, Any]) -> _Rec:
        line = getattr(data, "line", self.line)
        return _Rec(data, self.file, f"{self.where}.{key}[{index}]", line, self.csv)

    def raw(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                if key not in self.data:
                    raise self.fail(key, _("this column is missing") if self.csv else _("missing"))
                raise self.fail(key, _("no value"))
            return None
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.raw(key, required)
        return None if value is None else str(value)

    def req_str(self, key: str) -> str:
        value = self.text(key, True)
        assert value is not None
        return value

    def day(self, key: str, required: bool = False) -> date | None:
        value = self.raw(key, required)
        if value is None or (isinstance(value, date)):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, _("'{value}' is not a date (YYYY-MM-DD)", value=value)) from None

    def decimal(self, key: str, required: bool = False) -> Decimal | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self.fail(key, _("'{value}' is not a number", value=value))
        try:
            return Decimal(str(value).replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise self.fail(key, _("'{value}' is not a number", value=value)) from None

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.decimal(key, required)
        if value is None:
            return None
        if value != value.to_integral_value():
            raise self.fail(key, _("'{value}' is not a whole number", value=value))
        return int(value)

    def flag(self, key: str) -> bool:
        value = self.raw(key, False)
        if value is None or isinstance(value, bool):
            return bool(value)
        text = str(value).lower()
        if text in ("true", "yes", "y", "1", "예"):
            return True
        if text in ("false", "no", "n", "0", "아니오"):
            return False
        raise self.fail(key, _("'{value}' is not true or false", value=value))

    def choice(self, key: str, choices: list[str], required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and value not in choices:
            raise self.fail(key, _("'{value}' is not one of {choices}", value=value, choices=", ".join(choices)))
        return value

    def items_of(self, key: str) -> list[Any]:
        value = self.raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, _("expected a list"))
        return value

    def records(self, key: str) -> Iterator[_Rec]:
        for i, item in enumerate(self.items_of(key)):
            if not isinstance(item, Mapping):
                raise self.fail(key, _("entry {n} is not a mapping", n=i + 1))
            yield self.child(key, i, item)

    def check_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(
                    str(key),
                    _(
                        "unknown {what}; expected one of {known}",
                        what=_("column") if self.csv else _("field"),
                        known=", ".join(sorted(allowed)),
                    ),
                )


# --- entities -----------------------------------------------------------------------------------

_ORG_KEYS = {
    "id", "name", "kind", "size", "incorporated", "is_corporation", "region", "enterprise_group", "industries",
    "sites", "representatives", "statuses", "financials", "support",
}  # fmt: skip


def _status(r: _Rec) -> gm.Status:
    r.check_keys({"kind", "start", "end", "note"})
    return gm.Status(r.req_str("kind"), r.day("start"), r.day("end"), r.text("note") or "")


def _organisation(r: _Rec) -> gm.Organisation:
    r.check_keys(_ORG_KEYS)
    kind = r.choice("kind", [k.value for k in gm.OrgKind], required=True)
    size = r.choice("size", [s.value for s in gm.OrgSize])
    sites = []
    for s in r.records("sites"):
        s.check_keys({"kind", "province", "since", "until"})
        sites.append(gm.Site(s.req_str("kind"), s.req_str("province"), s.day("since"), s.day("until")))
    people = []
    for p in r.records("representatives"):
        p.check_keys({"name", "birth_date", "position", "statuses"})
        people.append(
            gm.Person(
                p.req_str("name"),
                p.day("birth_date"),
                p.text("position"),
                tuple(_status(s) for s in p.records("statuses")),
            )
        )
    financials = []
    for f in r.records("financials"):
        f.check_keys({"year", "liabilities", "equity", "capital"})
        year, liabilities, equity = f.integer("year", True), f.decimal("liabilities", True), f.decimal("equity", True)
        assert year is not None and liabilities is not None and equity is not None
        financials.append(gm.Financials(year, liabilities, equity, f.decimal("capital")))
    support = []
    for s in r.records("support"):
        s.check_keys({"program", "year", "ended_on"})
        year = s.integer("year", True)
        assert year is not None
        support.append(gm.SupportRecord(s.req_str("program"), year, s.day("ended_on")))
    industries = r.items_of("industries") if not r.csv else [x for x in (r.text("industries") or "").split(";") if x]
    return gm.Organisation(
        id=r.req_str("id"),
        name=r.req_str("name"),
        kind=gm.OrgKind(kind),
        size=gm.OrgSize(size) if size else None,
        incorporated_on=r.day("incorporated"),
        region=r.text("region"),
        enterprise_group=r.text("enterprise_group"),
        industries=tuple(str(x).strip() for x in industries),
        sites=tuple(sites),
        representatives=tuple(people),
        statuses=tuple(_status(s) for s in r.records("statuses")),
        financials=tuple(financials),
        support=tuple(support),
        is_corporation=r.flag("is_corporation") if "is_corporation" in r.data else True,
    )


_APP_KEYS = {
    "id", "program", "track", "lead", "members", "title", "submitted", "budget", "gpu", "principal_investigator",
    "direct_sme_support", "duplicates",
}  # fmt: skip


def _application(r: _Rec) -> ApplicationRecord:
    r.check_keys(_APP_KEYS)
    members: list[tuple[str, str]] = [(r.req_str("lead"), "lead")]
    for mem in r.records("members"):
        mem.check_keys({"org", "role"})
        role = mem.choice("role", ["participant", "demand"]) or "participant"
        members.append((mem.req_str("org"), role))
    budget = gm.Budget()
    b = r.data.get("budget")
    if b is not None:
        if not isinstance(b, Mapping):
            raise r.fail("budget", _("expected a mapping"))
        br = _Rec(b, r.file, f"{r.where}.budget", getattr(b, "line", r.line), r.csv)
        br.check_keys({"requested", "government", "local", "private_cash", "private_in_kind"})
        budget = gm.Budget(
            br.decimal("requested"),
            br.decimal("government"),
            br.decimal("local"),
            br.decimal("private_cash"),
            br.decimal("private_in_kind"),
        )
    gpu = None
    g = r.data.get("gpu")
    if g is not None:
        if not isinstance(g, Mapping):
            raise r.fail("gpu", _("expected a mapping"))
        gr = _Rec(g, r.file, f"{r.where}.gpu", getattr(g, "line", r.line), r.csv)
        gr.check_keys({"card", "count", "months"})
        count, months = gr.integer("count", True), gr.integer("months", True)
        assert count is not None and months is not None
        gpu = gm.GpuRequest(gr.req_str("card").upper(), count, months)
    pi = None
    p = r.data.get("principal_investigator")
    if p is not None:
        if not isinstance(p, Mapping):
            raise r.fail("principal_investigator", _("expected a mapping"))
        pr = _Rec(p, r.file, f"{r.where}.principal_investigator", getattr(p, "line", r.line), r.csv)
        pr.check_keys({"name", "birth_date", "position", "statuses"})
        pi = gm.Person(
            pr.req_str("name"),
            pr.day("birth_date"),
            pr.text("position"),
            tuple(_status(s) for s in pr.records("statuses")),
        )
    duplicates = []
    for d in r.records("duplicates"):
        d.check_keys({"project", "ended_on", "follow_up"})
        duplicates.append(gm.DuplicateClaim(d.req_str("project"), d.day("ended_on"), d.flag("follow_up")))
    return ApplicationRecord(
        id=r.req_str("id"),
        program=r.req_str("program"),
        track=r.req_str("track"),
        members=tuple(members),
        title=r.text("title"),
        submitted_on=r.day("submitted"),
        budget=budget,
        gpu=gpu,
        principal_investigator=pi,
        direct_sme_support=r.flag("direct_sme_support"),
        duplicates=tuple(duplicates),
    )


def _agreement(r: _Rec) -> AgreementRecord:
    r.check_keys({"application", "start", "end", "signed_on"})
    start, end = r.day("start", True), r.day("end", True)
    assert start is not None and end is not None
    if end < start:
        raise r.fail("end", _("the end {end} is before the start {start}", end=end, start=start))
    return AgreementRecord(r.req_str("application"), start, end, r.day("signed_on"))


def _evidence(r: _Rec) -> EvidenceRecord:
    r.check_keys({"application", "obligation", "seq", "completed_on", "url", "sha256", "scan", "note"})
    completed = r.day("completed_on", True)
    assert completed is not None
    sha = r.text("sha256")
    if sha is not None and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha.lower())):
        raise r.fail("sha256", _("'{value}' is not a SHA-256 hex digest", value=sha))
    return EvidenceRecord(
        application=r.req_str("application"),
        obligation=r.req_str("obligation"),
        seq=r.integer("seq") or 1,
        completed_on=completed,
        url=r.text("url"),
        sha256=sha.lower() if sha else None,
        scan_id=r.integer("scan"),
        note=r.text("note") or "",
    )


_SECTIONS: dict[str, tuple[str, Callable[[_Rec], Any]]] = {
    "organisations": ("organisations", _organisation),
    "applications": ("applications", _application),
    "agreements": ("agreements", _agreement),
    "evidence": ("evidence", _evidence),
}


# --- files ----------------------------------------------------------------------------------------


def read_import_file(path: Path) -> ImportBatch:
    """Read and check the whole file; ``InputError`` (exit 2) at the first problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(_("{path}: cannot read the import file: {error}", path=path, error=exc.strerror)) from None
    except UnicodeDecodeError:
        raise InputError(_("{path}: the import file is not UTF-8 text", path=path)) from None
    if path.suffix.lower() == ".csv":
        return _read_csv(path, text)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, text)
    raise InputError(_("{path}: import files are .yaml, .yml or .csv", path=path))


def _read_yaml(path: Path, text: str) -> ImportBatch:
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(_("{where}: invalid YAML", where=where)) from None
    if not isinstance(doc, Mapping):
        raise InputError(
            _("{path}: expected a mapping with organisations, applications, agreements, evidence", path=path)
        )
    batch = ImportBatch()
    for key in doc:
        if key not in _SECTIONS:
            raise InputError(
                _(
                    "{path}: unknown section '{key}'; expected one of {known}",
                    path=path,
                    key=key,
                    known=", ".join(_SECTIONS),
                )
            )
    for key, (attr, build) in _SECTIONS.items():
        items = doc.get(key) or []
        if not isinstance(items, list):
            raise InputError(_("{path}: '{key}' must be a list", path=path, key=key))
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise InputError(_("{path}: {key}[{n}] is not a mapping", path=path, key=key, n=i))
            getattr(batch, attr).append(build(_Rec(item, str(path), f"{key}[{i}]", getattr(item, "line", 0))))
    return batch


# CSV: one entity per file, told apart by the columns it must have.
_CSV_KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("organisations", ("id", "name", "kind")),
    ("agreements", ("application", "start", "end")),
    ("evidence", ("application", "obligation", "completed_on")),
    ("applications", ("id", "program", "track", "lead")),
]
_CSV_NESTED = {"budget", "gpu", "principal_investigator"}


def _read_csv(path: Path, text: str) -> ImportBatch:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    kind = _csv_kind(path, header)
    batch = ImportBatch()
    attr, build = _SECTIONS[kind]
    for n, row in enumerate(reader, start=1):
        line = reader.line_num
        if None in row:
            raise InputError(
                _("{path}:{line}: row {row} has more values than the header has columns", path=path, line=line, row=n)
            )
        clean = {k.strip(): v for k, v in row.items()}
        where = _("row {n}", n=n)
        for col in header:
            if clean.get(col) is None:  # a short row: DictReader fills missing cells with None
                raise _Rec(clean, str(path), where, line, csv=True).fail(col, _("this column is missing"))
        getattr(batch, attr).append(build(_Rec(_csv_row(clean, kind), str(path), where, line, csv=True)))
    return batch


def _csv_kind(path: Path, header: list[str]) -> str:
    have = set(header) | ({"id"} if "organisation" in header else set())
    if "program" in have:
        kind = "applications"
        have |= {"id"} if "application" in have else set()
    elif "obligation" in have:
        kind = "evidence"
    elif have & {"start", "end", "signed_on"}:
        kind = "agreements"
    elif have & {"organisation", "kind", "name"}:
        kind = "organisations"
    else:
        raise InputError(
            _(
                "{path}:1: cannot tell what the CSV holds from its columns ({columns}); see docs/registry.md",
                path=path,
                columns=", ".join(header),
            )
        )
    needed = dict(_CSV_KINDS)[kind]
    missing = [c for c in needed if c not in have]
    if missing:
        column = "organisation" if missing[0] == "id" and kind == "organisations" else missing[0]
        raise InputError(
            _("{path}:1: row 1 (header), column '{column}': this column is missing", path=path, column=column)
        )
    return kind


def _split_pairs(text: str) -> list[list[str]]:
    return [part.split(":") for part in text.split(";") if part.strip()]


def _csv_row(row: dict[str, str], kind: str) -> dict[str, Any]:
    """Flat CSV columns into the YAML shape (nested values in a ``a:b;c:d`` mini-syntax)."""
    data: dict[str, Any] = dict(row)
    if "organisation" in data and kind == "organisations":
        data["id"] = data.pop("organisation")
    if "application" in data and kind == "applications":
        data["id"] = data.pop("application")
    if kind == "organisations":
        if data.get("representatives"):
            data["representatives"] = [
                {"name": p[0], "birth_date": p[1] if len(p) > 1 else None}
                for p in _split_pairs(data["representatives"])
            ]
        if data.get("sites"):
            data["sites"] = [
                {"kind": p[0], "province": p[1] if len(p) > 1 else None, "since": p[2] if len(p) > 2 else None}
                for p in _split_pairs(data["sites"])
            ]
        for key in ("representatives", "sites"):
            if data.get(key) == "":
                data.pop(key)
    if kind == "applications":
        if data.get("members"):
            data["members"] = [
                {"org": p[0], "role": p[1] if len(p) > 1 else "participant"} for p in _split_pairs(data["members"])
            ]
        else:
            data.pop("members", None)
        for nested in _CSV_NESTED:
            sub = {k.split(".", 1)[1]: data.pop(k) for k in list(data) if k.startswith(nested + ".")}
            if any(v not in (None, "") for v in sub.values()):
                data[nested] = sub
    return data


def write_batch(session: Session, batch: ImportBatch, policy: PolicySet, today: date) -> None:
    """Write a checked batch (inside the caller's transaction: all of it or none)."""
    sync_programs(session, policy, grant_programs(policy))
    for org in batch.organisations:
        upsert_organisation(session, org)
    for app in batch.applications:
        upsert_application(session, app)
    for ag in batch.agreements:
        upsert_agreement(session, ag)
    if batch.evidence:
        sync_obligations(session, policy, today)
        for ev in batch.evidence:
            record_evidence(session, ev)
