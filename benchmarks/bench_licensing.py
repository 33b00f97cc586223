"""License policy speed: catalogue load, classify() and check() against license-expression.

    python benchmarks/bench_licensing.py

Peer: license-expression's SPDX licensing (``get_spdx_licensing().validate``), which parses
and normalises an expression without classifying it. Our classify() does that plus the
catalogue lookup and the category walk; check() adds the rule table.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    t0 = time.perf_counter()
    from oscheck.policy.licensing import classify, load_catalogue
    from oscheck.policy.licensing.compat import UseContext, check, load_compat
    from oscheck.policy.load import load_policy

    policy = load_policy()
    catalogue = load_catalogue(policy)
    load_compat(policy)
    load_s = time.perf_counter() - t0

    cases = yaml.safe_load((ROOT / "tests" / "licensing_cases.yaml").read_text(encoding="utf-8"))["cases"]
    ids = sorted(
        i.spdx for i in catalogue.licenses.values() if not i.is_exception and not i.spdx.startswith("LicenseRef-")
    )
    exprs = ids + [c["inbound"] for c in cases if "LicenseRef" not in c["inbound"]]

    t = time.perf_counter()
    for e in exprs:
        classify(e, policy)
    ours = time.perf_counter() - t

    from license_expression import get_spdx_licensing

    spdx = get_spdx_licensing()
    t = time.perf_counter()
    for e in exprs:
        spdx.validate(e)
    peer = time.perf_counter() - t

    t = time.perf_counter()
    for c in cases:
        check(c["inbound"], c["outbound"], UseContext(c["context"]), c["commercial"], policy)
    checks = time.perf_counter() - t

    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "oscheck",
            "licenses",
            "check",
            "--inbound",
            "GPL-2.0-or-later",
            "--outbound",
            "Apache-2.0",
        ],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    cli = time.perf_counter() - t

    print(f"catalogue: {len(catalogue.licenses)} licenses; policy load + typing: {load_s:.2f} s")
    print(f"classify: {len(exprs)} expressions in {ours:.3f} s ({ours / len(exprs) * 1e6:.0f} µs each)")
    print(f"license-expression validate (peer): {peer:.3f} s ({peer / len(exprs) * 1e6:.0f} µs each)")
    print(f"ratio classify / peer: {ours / peer:.2f}")
    print(f"check: {len(cases)} cases in {checks:.3f} s ({checks / len(cases) * 1e3:.2f} ms each)")
    print(f"`oscheck licenses check` as a process: {cli:.2f} s")


if __name__ == "__main__":
    main()
