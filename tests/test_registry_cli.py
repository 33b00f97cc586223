"""``oscheck registry …`` as a user runs it: a real process, a real database file or server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT, run_oscheck
from sqlalchemy import func, select

from oscheck.store import Store
from oscheck.store import models as m

EXAMPLES = ROOT / "examples" / "registry"


def reg(db: str, *args: str) -> tuple[int, str, str]:
    proc = run_oscheck("registry", "--db", db, *args, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite registry with the examples imported."""
    db = str(tmp_path_factory.mktemp("reg") / "registry.sqlite3")
    assert reg(db, "init")[0] == 0
    code, out, err = reg(db, "import", str(EXAMPLES / "registry.yaml"), "--today", "2026-06-01")
    assert code == 0, err
    assert "13 organisations, 9 applications, 3 agreements, 1 evidence" in out
    return db


def count(db: str, model: type[m.Base]) -> int:
    store = Store(db)
    with store.transaction() as s:
        n = int(s.scalar(select(func.count()).select_from(model)) or 0)
    store.dispose()
    return n


def test_commands_need_an_initialised_registry(tmp_path: Path) -> None:
    code, _out, err = reg(str(tmp_path / "empty.sqlite3"), "obligations")
    assert code == 2 and "oscheck registry init" in err and "Traceback" not in err


def test_eligibility_exit_codes_and_json(loaded: str, tmp_path: Path) -> None:
    code, out, _ = reg(loaded, "eligibility", "nipa-use-001", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["outcome"] == "pass" and doc["program"] == "nipa-oss-ai-use-2026"
    assert {r["rule_id"] for r in doc["results"]} >= {
        "ELG001",
        "ELG002",
        "ELG003",
        "ELG004",
        "ELG005",
        "ELG015",
        "ELG016",
    }
    assert all(r["source"].startswith("seeds/msit-nipa-oss-ai-sw-2026-call.txt") for r in doc["results"])

    code, out, _ = reg(loaded, "eligibility", "nipa-dev-001", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["outcome"] == "fail"
    failed = [r for r in doc["results"] if r["outcome"] == "fail"]
    assert [r["rule_id"] for r in failed] == ["ELG003"] and "메가그룹" in failed[0]["message"]["en"]

    code, out, _ = reg(loaded, "eligibility", "keti-001")
    assert code == 0 and "ELG011" in out and "debt-ratio" in out  # 1,200% then 900%: only one year over

    extra = tmp_path / "unknown.yaml"
    extra.write_text(
        "organisations:\n  - {id: nosize, name: 무규모, kind: company}\n"
        "applications:\n  - {id: gpu-x, program: nipa-gpu-rental-2025, track: track-2, lead: nosize, gpu: {card: H100, count: 8, months: 2}}\n",
        encoding="utf-8",
    )
    assert reg(loaded, "import", str(extra))[0] == 0
    code, out, _ = reg(loaded, "eligibility", "gpu-x", "--format", "json")
    assert code == 4 and json.loads(out)["outcome"] == "unknown"

    with Store(loaded).transaction() as s:
        stored = s.scalars(
            select(m.EligibilityResult).where(m.EligibilityResult.application_id == "nipa-dev-001")
        ).all()
        assert {r.rule_id: r.outcome for r in stored}["ELG003"] == "fail"

    code, _out, err = reg(loaded, "eligibility", "no-such-app")
    assert code == 2 and "no-such-app" in err


def test_score_json_table_and_korean(loaded: str) -> None:
    scores = str(EXAMPLES / "scores-gpu-track-1.csv")
    code, out, err = reg(loaded, "score", "nipa-gpu-rental-2025", scores, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [(d["application"], d["score"], d["rank"], d["selected"]) for d in doc] == [
        ("gpu-001", 87.17, 1, True),
        ("gpu-004", 87.17, 2, True),  # tie broken on 사업추진 목표
        ("gpu-005", 86.17, 3, False),  # public share must stay under 50%
        ("gpu-002", 81.17, 4, True),
        ("gpu-003", 63.17, 5, False),  # below 70
    ]
    assert '"score": 87.17,' in out  # numbers with the program's two decimals
    assert any("tie-break 1" in r for r in doc[1]["reasons"])
    with Store(loaded).transaction() as s:
        sel = s.get_one(m.Selection, "gpu-002")
        assert (str(sel.score), sel.rank, sel.decision) == ("81.17", 4, "selected")
        assert s.scalar(select(func.count()).select_from(m.Evaluation)) == 100

    code, out, _ = reg(loaded, "score", "nipa-gpu-rental-2025", scores, "--slots", "2")
    assert code == 0 and "gpu-001" in out and "rank" in out
    proc = run_oscheck(
        "--lang", "ko", "registry", "--db", loaded, "score", "nipa-gpu-rental-2025", scores, "--format", "json"
    )
    ko = json.loads(proc.stdout)
    assert any("동점" in r for r in ko[0]["reasons"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("gpu-001,E1,사업 목표,20\n", "row 1, column 'item': '사업 목표' is not one of"),
        ("gpu-001,E1,goal,31\n", "row 1, column 'score': 31 is outside 0–30"),
        ("gpu-001,E1,goal,abc\n", "row 1, column 'score': 'abc' is not a number"),
        (
            "gpu-001,E1,goal,20\ngpu-001,E1,사업추진 목표,21\n",
            "row 2, column 'item': evaluator E1 scored 사업추진 목표 twice",
        ),
        ("keti-001,E1,goal,20\n", "row 1, column 'application': no application 'keti-001'"),
    ],
)
def test_bad_scores_exit_2_naming_row_and_column(loaded: str, tmp_path: Path, rows: str, expected: str) -> None:
    f = tmp_path / "scores.csv"
    f.write_text("application,evaluator,item,score\n" + rows, encoding="utf-8")
    code, _out, err = reg(loaded, "score", "nipa-gpu-rental-2025", str(f))
    assert code == 2 and expected in err, err


def test_programs_without_a_scoring_table_say_so(loaded: str, tmp_path: Path) -> None:
    f = tmp_path / "s.csv"
    f.write_text("application,evaluator,item,score\nnipa-use-001,E1,x,1\n", encoding="utf-8")
    code, _out, err = reg(loaded, "score", "nipa-oss-ai-use-2026", str(f))
    assert code == 2 and "no scoring table" in err


def test_obligations_due_within(loaded: str) -> None:
    code, out, _ = reg(loaded, "obligations", "--today", "2026-06-01", "--format", "json")
    everything = json.loads(out)
    code, out, _ = reg(loaded, "obligations", "--today", "2026-06-01", "--due-within", "30d", "--format", "json")
    assert code == 0
    soon = json.loads(out)
    assert 0 < len(soon) < len(everything)
    assert all(o["status"] in ("due", "overdue") and o["due_on"] <= "2026-07-01" for o in soon)
    assert {(o["application"], o["obligation"]) for o in soon} >= {
        ("gpu-001", "result-report"),
        ("nipa-use-001", "contribution-plan"),
    }
    insurance = next(o for o in everything if o["obligation"] == "guarantee-insurance")
    assert (
        insurance["status"] == "done" and insurance["covers_until"] == "2027-05-30" and insurance["evidence"]["sha256"]
    )
    code, out, _ = reg(loaded, "obligations", "--today", "2026-06-01", "--due-within", "2w")
    assert code == 0 and "OBL001" in out
    code, _out, err = reg(loaded, "obligations", "--due-within", "soon")
    assert code == 2 and "30d" in err


# --- imports that must write nothing: on SQLite and on PostgreSQL -----------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "orgs.csv",
            "organisation,name,size\nacme,Acme,sme\n",
            "orgs.csv:1: row 1 (header), column 'kind': this column is missing",
        ),
        (
            "orgs.csv",
            "organisation,name,kind,incorporated\nacme,Acme,company,2019-03-02\nbeta,Beta,company,2019-02-30\n",
            "orgs.csv:3: row 2, column 'incorporated': '2019-02-30' is not a date (YYYY-MM-DD)",
        ),
        (
            "orgs.csv",
            "organisation,name,kind,incorporated\nacme,Acme,company,2019-03-02\nbeta,Beta,company\n",
            "orgs.csv:3: row 2, column 'incorporated': this column is missing",
        ),
        (
            "orgs.csv",
            "organisation,name,kind\nacme,Acme,company\nbeta,,company\n",
            "row 2, column 'name': no value",
        ),
        (
            "reg.yaml",
            "organisations:\n  - {id: acme, name: Acme, kind: company}\n  - {id: beta, name: Beta}\n",
            "reg.yaml:3: organisations[1], field 'kind': missing",
        ),
        (
            "agreements.csv",
            "application,start,end\nnipa-use-001,2026-05-08,2026-13-31\n",
            "row 1, column 'end': '2026-13-31' is not a date",
        ),
    ],
)
def test_bad_import_exits_2_and_writes_nothing(
    db_url: str, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    assert reg(db_url, "init")[0] == 0
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    code, _out, err = reg(db_url, "import", str(f))
    assert code == 2, err
    assert expected in err and "Traceback" not in err
    assert count(db_url, m.Organisation) == 0 and count(db_url, m.Agreement) == 0


def test_csv_import_of_organisations(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    assert reg(db, "init")[0] == 0
    code, _out, err = reg(db, "import", str(EXAMPLES / "organisations.csv"))
    assert code == 0, err
    with Store(db).transaction() as s:
        org = s.get_one(m.Organisation, "mirae-mould")
        assert org.industries == ["mould", "plastic-working"]
        assert [(x.kind, x.province) for x in org.sites] == [("factory", "gyeongnam"), ("head-office", "busan")]
        assert org.representatives[0].birth_date.isoformat() == "1979-02-11"  # type: ignore[union-attr]


def test_oscheck_db_environment_variable_and_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oscheck.store import default_db_path, resolve_db_url

    db = tmp_path / "from-env.sqlite3"
    proc = run_oscheck("registry", "init", env={"OSCHECK_DB": str(db)})
    assert proc.returncode == 0 and db.is_file() and "6 programs" in proc.stdout
    monkeypatch.delenv("OSCHECK_DB", raising=False)
    assert resolve_db_url(None) == f"sqlite:///{default_db_path()}"
    assert default_db_path().name == "registry.sqlite3" and "oscheck" in default_db_path().parts
    assert resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("OSCHECK_DB", str(db))
    assert resolve_db_url(None) == f"sqlite:///{db}"
