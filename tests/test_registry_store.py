"""The store on SQLite and on a real PostgreSQL server: the same tests, both databases.

``db_url`` (conftest.py) is a fresh SQLite file, then a fresh database on a throwaway
PostgreSQL server (tests/pg_server.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT, make_repo, validate_report
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from oscheck import ScanOptions, scan
from oscheck.errors import InputError
from oscheck.outputs.json_report import report_dict
from oscheck.policy.grants import check_eligibility, grant_program
from oscheck.policy.load import load_policy
from oscheck.store import Store
from oscheck.store import models as m
from oscheck.store.importer import read_import_file, write_batch
from oscheck.store.registry import (
    EvidenceRecord,
    load_application,
    record_evidence,
    save_eligibility,
    sync_obligations,
)
from oscheck.store.scans import (
    completed_scan,
    diff_findings,
    find_scan,
    finish_run,
    latest_scans,
    record_failed_scan,
    record_scan,
    run_scans,
    start_run,
    target_history,
)

EXAMPLE = ROOT / "examples" / "registry" / "registry.yaml"
TODAY = date(2026, 6, 1)


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    s.upgrade()
    yield s  # type: ignore[misc]
    s.dispose()


def count(store: Store, model: type[m.Base]) -> int:
    with store.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def load_example(store: Store, path: Path = EXAMPLE) -> None:
    with store.transaction() as s:
        write_batch(s, read_import_file(path), load_policy(), TODAY)


def test_migrations_upgrade_an_empty_database_to_head(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(db_url)
    assert store.current() is None
    with pytest.raises(InputError, match="registry init"):
        store.require_current()
    assert store.upgrade() == store.head()
    assert store.upgrade() == store.head()  # a second upgrade is a no-op
    store.require_current()
    with store.engine.connect() as conn:  # the migrated schema is exactly the models'
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), m.Base.metadata) == []
    store.dispose()


def test_import_is_idempotent_and_round_trips_to_the_engines(store: Store) -> None:
    load_example(store)
    load_example(store)  # importing again replaces, never duplicates
    assert count(store, m.Organisation) == 13
    assert count(store, m.Application) == 9
    assert count(store, m.ConsortiumMember) == 13
    assert count(store, m.Program) == 6
    with store.transaction() as s:
        app, siblings = load_application(s, "gpu-001")
        lead = app.lead
        assert lead.representatives[0].birth_date == date(1986, 8, 15)
        assert app.gpu is not None and (app.gpu.card, app.gpu.count, app.gpu.months) == ("H100", 2, 6)
        assert {x.id for x in siblings} == {"gpu-002", "gpu-003", "gpu-004", "gpu-005"}
        keti, _ = load_application(s, "keti-001")
        ratios = {f.year: f.debt_ratio for f in keti.lead.financials}
        assert ratios == {2024: Decimal(1200), 2025: Decimal(900)}
        report = check_eligibility(grant_program(load_policy(), "keti-ax-mini-2026"), keti)
        save_eligibility(s, report, datetime(2026, 5, 1, tzinfo=UTC), "test")
    with store.transaction() as s:
        rows = s.scalars(select(m.EligibilityResult).where(m.EligibilityResult.application_id == "keti-001")).all()
        debt = next(r for r in rows if r.rule_id == "ELG011")
        assert debt.outcome == "pass" and debt.evidence["years"] == {"2025": "900.00", "2024": "1200.00"}
        assert debt.source.startswith("seeds/keti-ax-mini-project-2026-call.txt")


def test_a_bad_date_in_an_import_writes_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "organisations:\n"
        "  - {id: a, name: A, kind: company}\n"
        "  - {id: b, name: B, kind: company}\n"
        "  - id: c\n"
        "    name: C\n"
        "    kind: company\n"
        "    incorporated: 2019-13-01\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_example(store, bad)
    assert "organisations[2]" in err.value.message and "'incorporated'" in err.value.message
    assert "bad.yaml:7" in err.value.message and "2019-13-01" in err.value.message
    assert count(store, m.Organisation) == 0


def test_a_database_level_problem_rolls_back_the_whole_file(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "unknown-org.yaml"
    bad.write_text(
        "organisations:\n  - {id: a, name: A, kind: company}\n"
        "applications:\n  - {id: x, program: nipa-oss-ai-dev-2026, track: dev, lead: nobody}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="unknown organisation 'nobody'"):
        load_example(store, bad)
    assert count(store, m.Organisation) == 0 and count(store, m.Application) == 0


def test_obligations_keep_their_evidence_and_move_with_the_date(store: Store) -> None:
    load_example(store)  # includes evidence for nipa-use-001's insurance
    policy = load_policy()
    with store.transaction() as s:
        rows = {(o.agreement.application_id, o.obligation, o.seq): o for o in sync_obligations(s, policy, TODAY)}
        ins = rows[("nipa-use-001", "guarantee-insurance", 1)]
        assert ins.status == "done" and ins.evidence_sha256 and ins.covers_until == date(2027, 5, 30)
        assert rows[("gpu-001", "result-report", 1)].status == "overdue"
        assert rows[("nipa-use-001", "accredited-test-report", 1)].status == "due"
    with store.transaction() as s:
        later = {
            (o.agreement.application_id, o.obligation, o.seq): o for o in sync_obligations(s, policy, date(2027, 1, 5))
        }
        assert later[("nipa-use-001", "guarantee-insurance", 1)].status == "done"
        assert later[("nipa-use-001", "accredited-test-report", 1)].status == "overdue"
        record_evidence(
            s, EvidenceRecord("nipa-use-001", "accredited-test-report", 1, date(2027, 1, 4), "https://e.example/r.pdf")
        )
    with store.transaction() as s:
        again = {
            (o.agreement.application_id, o.obligation, o.seq): o for o in sync_obligations(s, policy, date(2027, 2, 1))
        }
        assert again[("nipa-use-001", "accredited-test-report", 1)].status == "done"
        n = len(again)
    assert count(store, m.Obligation) == n  # re-planning never duplicates


# --- scans ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_scans(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    """Two real scans of one repository (inventory only: no license index needed)."""
    root = tmp_path_factory.mktemp("scanned") / "repo"
    repo = make_repo(root, {"README.md": "# demo\n", "big.bin": "x" * 4096, "src/a.py": "print(1)\n"})
    opts = ScanOptions(only=("inventory",), jobs=1, max_file_bytes=1024, today=TODAY)
    first = scan(str(root), opts)
    from helpers import commit

    commit(repo, {"other.dat": "y" * 5000}, message="another big file")
    second = scan(str(root), opts)
    return first, second


def test_record_scan_keeps_summary_findings_and_the_report(store: Store, real_scans: tuple[object, object]) -> None:
    first, second = real_scans
    report = report_dict(first)  # type: ignore[arg-type]
    validate_report(report)
    assert first.findings  # type: ignore[attr-defined]
    with store.transaction() as s:
        run = start_run(s, "portfolio.yaml", "d" * 64, datetime(2026, 6, 1, tzinfo=UTC))
        row = record_scan(s, first, report=report, run_id=run.id)  # type: ignore[arg-type]
        run_id, scan_id = run.id, row.id
    with store.transaction() as s:
        row = s.get_one(m.Scan, scan_id)
        assert row.status == "ok" and row.verdict == first.summary.verdict.value  # type: ignore[attr-defined]
        assert row.report == report  # the whole JSON document, as stored
        assert [f.fingerprint for f in row.findings] == [f.fingerprint for f in first.sorted_findings()]  # type: ignore[attr-defined]
        assert row.errors + row.warnings + row.notes == len([f for f in first.findings if not f.exempted])  # type: ignore[attr-defined]
        uri, commit_id, pv = row.target_uri, row.commit, row.policy_version
        assert completed_scan(s, run_id, uri, commit_id, pv) is not None  # a resumed run skips it
        assert completed_scan(s, run_id, uri, "0" * 40, pv) is None  # another commit: scan again
        assert completed_scan(s, run_id, uri, commit_id, "other") is None  # another policy: scan again
        assert find_scan(s, uri, commit_id, pv) is not None
    with store.transaction() as s:  # recording the target again in the same run replaces it
        record_scan(s, second, report=report_dict(second), run_id=run_id)  # type: ignore[arg-type]
        finish_run(s, run_id, datetime(2026, 6, 1, 1, tzinfo=UTC))
    with store.transaction() as s:
        scans = run_scans(s, run_id)
        assert len(scans) == 1 and scans[0].commit == second.target.commit  # type: ignore[attr-defined]
        assert s.get_one(m.Run, run_id).status == "finished"
        assert count_findings(s, scan_id) == 0  # the replaced scan's findings went with it
    with store.transaction() as s:  # the same target outside a run: history and diffs
        a = record_scan(s, first, report=report_dict(first))  # type: ignore[arg-type]
        b = record_scan(s, second, report=report_dict(second))  # type: ignore[arg-type]
        diff = diff_findings(s, a.id, b.id)
        assert [f.path for f in diff.added] == ["other.dat"] and not diff.removed
        assert len(target_history(s, uri)) == 3
        assert [x.id for x in latest_scans(s)] == [b.id]


def count_findings(s: object, scan_id: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    return int(s.scalar(select(func.count()).select_from(m.FindingRow).where(m.FindingRow.scan_id == scan_id)) or 0)


def test_failed_scans_keep_the_error_without_credentials(store: Store) -> None:
    with store.transaction() as s:
        run = start_run(s, "p.yaml", None, datetime(2026, 6, 1, tzinfo=UTC))
        row = record_failed_scan(
            s,
            target_uri="https://user:ghp_abcdefghijklmnopqrstuvwxyz0123456789@git.example.kr/x.git",
            error="clone failed: https://user:secret@git.example.kr/x.git: timeout",
            tool_version="0.1.0",
            started_at=datetime(2026, 6, 1, tzinfo=UTC),
            run_id=run.id,
        )
        assert row.target_uri == "https://git.example.kr/x.git"
        assert "secret" not in (row.error or "") and "ghp_" not in row.target_uri
        assert completed_scan(s, run.id, row.target_uri, None, "v") is None  # a failure is retried


def test_the_database_refuses_a_target_twice_in_one_run(store: Store) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    values = {
        "target_kind": "git",
        "target_uri": "https://git.example.kr/x.git",
        "tool_version": "0",
        "status": "ok",
        "started_at": now,
    }
    with store.transaction() as s:
        run_id = start_run(s, "p.yaml", None, now).id
    with pytest.raises(IntegrityError), store.transaction() as s:
        s.execute(insert(m.Scan), [{**values, "run_id": run_id}, {**values, "run_id": run_id}])
    with store.transaction() as s:  # outside runs the same target may be scanned many times
        s.execute(insert(m.Scan), [{**values, "run_id": None}, {**values, "run_id": None}])
    assert count(store, m.Scan) == 2
