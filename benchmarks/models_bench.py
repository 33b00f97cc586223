"""Speed of the models detector's two hot loops, against their floors.

* weight inspection: a state-dict pickle with N tensors walked by ``scan_pickle`` (symbolic
  stack, memo, globals) versus a bare ``pickletools.genops`` pass over the same bytes
  (the least any opcode-level scanner must do);
* reference finding: ``find_references`` over Python files versus ``ast.parse`` alone.

    python benchmarks/models_bench.py
"""

from __future__ import annotations

import io
import pickletools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from model_files import _binint1, _binput, _global, _u

from oscheck.detectors.models.references import find_references
from oscheck.detectors.models.weights import scan_pickle


def state_dict(n: int) -> bytes:
    out = b"\x80\x02" + _global("collections", "OrderedDict") + _binput(0) + b")R" + _binput(1) + b"("
    for i in range(n):
        out += _u(f"layers.{i}.weight") + _global("torch._utils", "_rebuild_tensor_v2") + _binput(2)
        out += b"((" + _u("storage") + _global("torch", "FloatStorage") + _u(str(i)) + _u("cpu") + _binint1(4) + b"tQ"
        out += _binint1(0) + b"(" + _binint1(2) + _binint1(2) + b"t(" + _binint1(2) + _binint1(1) + b"t\x89"
        out += _global("collections", "OrderedDict") + b")RtR"
    return out + b"u."


def best(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    data = state_dict(20_000)
    ours = best(lambda: scan_pickle(io.BytesIO(data)))
    floor = best(lambda: sum(1 for _ in pickletools.genops(io.BytesIO(data))))
    print(
        f"pickle {len(data) / 1e6:.1f} MB, 20000 tensors: scan_pickle {ours:.3f}s, genops alone {floor:.3f}s, ratio {ours / floor:.2f}"
    )

    import ast

    source = (
        'MODEL_ID = "Qwen/Qwen2.5-7B-Instruct"\n'
        "def load(name: str = MODEL_ID):\n"
        "    tok = AutoTokenizer.from_pretrained(name)\n"
        "    return AutoModelForCausalLM.from_pretrained(name), tok\n"
    ) * 50
    files = [source] * 200
    ours = best(lambda: [find_references("m.py", s) for s in files], 3)
    floor = best(lambda: [ast.parse(s) for s in files], 3)
    print(
        f"references: 200 files x 200 lines: find_references {ours:.3f}s, ast.parse alone {floor:.3f}s, ratio {ours / floor:.2f}"
    )


if __name__ == "__main__":
    main()
