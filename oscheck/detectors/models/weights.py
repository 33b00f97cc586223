"""Weight-file safety without loading anything: pickle opcodes, safetensors and GGUF headers.

Nothing here unpickles, imports or executes a byte of the file. Pickle-based formats are
walked opcode by opcode with :func:`pickletools.genops` on a small symbolic stack, so that
every callable the pickle would import (``GLOBAL``, ``INST``, ``STACK_GLOBAL`` with its
module and name taken from the stack or the memo) is listed. Whether a global is allowed
is a policy decision (``policies/model-safety.yaml``: an allow-list, not a deny-list:
public deny-list scanners have documented bypasses); this module only reports facts.

Formats:

* plain pickles (``.pkl``, ``.pickle``, ``.joblib``, ``.dill``) and the legacy PyTorch
  format (several pickles in a row, then raw storage bytes);
* PyTorch zip archives (``.bin``/``.pt``/``.pth``/``.ckpt`` since torch 1.6, TorchScript):
  every ``*.pkl`` member is walked; members are never extracted to disk;
* NumPy ``.npy`` with an object dtype (a pickle after the header) and ``.npz`` archives;
* safetensors: the 8-byte header length, the JSON header, dtypes, shapes and offsets
  checked against the file size;
* GGUF: magic, version, counts, and the metadata keys (license, name, chat template).
"""

from __future__ import annotations

import io
import json
import math
import pickletools
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from oscheck import safeparse
from oscheck.model import Observation

# File endings of weight formats, by format name (R3 of the research notes).
WEIGHT_SUFFIXES: dict[str, str] = {
    ".safetensors": "safetensors",
    ".bin": "pytorch",
    ".pt": "pytorch",
    ".pth": "pytorch",
    ".ckpt": "pytorch",
    ".pkl": "pickle",
    ".pickle": "pickle",
    ".joblib": "pickle",
    ".dill": "pickle",
    ".gguf": "gguf",
    ".ggml": "ggml",
    ".onnx": "onnx",
    ".h5": "h5",
    ".hdf5": "h5",
    ".keras": "keras",
    ".msgpack": "msgpack",
    ".tflite": "tflite",
    ".npz": "npz",
    ".npy": "npy",
    ".nemo": "nemo",
    ".mlmodel": "coreml",
    ".llamafile": "llamafile",
}
# Formats that are (or may contain) pickles: they can run code when loaded.
PICKLE_FORMATS = frozenset({"pytorch", "pickle", "npy", "npz", "nemo"})
# Formats inspected here; the others are listed but not opened.
INSPECTED_FORMATS = PICKLE_FORMATS | {"safetensors", "gguf"}

UNRESOLVED_GLOBAL = "?"  # a global whose module or name is not a constant string

_MAX_PICKLES_IN_A_ROW = 16  # legacy torch files hold five; more is not a weight file
_MAX_MEMBER_BYTES = 256 << 20  # a pickle member of a zip larger than this is not read
_MAX_MEMBERS = 4096
_SAFETENSORS_MAX_HEADER = 100_000_000  # the safetensors crate's own limit
_GGUF_MAX_KV = 1 << 16
_GGUF_MAX_TENSORS = 1 << 24
_GGUF_MAX_STRING = 64 << 20
_GGUF_MAX_ARRAY = 1 << 26
_MAX_ARCHIVE_PICKLE_BYTES = 1 << 30  # all pickle members of one archive together
# Symbolic stack entries while walking a pickle. A state dict of thousands of tensors keeps
# a few dozen; 256 MB of MARK opcodes would otherwise hold 256 million (2.4 GB).
_MAX_PICKLE_STACK = 1_000_000
_GGUF_MAX_DEPTH = 16  # llama.cpp writes flat arrays; nesting this deep is only an attack
_MAX_RANK = 64  # dimensions of one tensor (real models use at most 5 or 6)


def weight_format(path: str) -> str | None:
    """The weight format a file name says, or ``None`` for non-weight files.

    Sharded indexes (``model.safetensors.index.json``) are listed as ``<format>-index``.
    """
    low = path.lower().rsplit("/", 1)[-1]
    if low.endswith(".index.json"):
        inner = low.removesuffix(".index.json")
        fmt = WEIGHT_SUFFIXES.get("." + inner.rsplit(".", 1)[-1]) if "." in inner else None
        return f"{fmt}-index" if fmt else None
    if "." not in low:
        return None
    return WEIGHT_SUFFIXES.get("." + low.rsplit(".", 1)[-1])


@dataclass(frozen=True)
class PickleScan:
    """What one pickle stream would import."""

    member: str | None  # the zip member ("archive/data.pkl"), None for a plain file
    globals: tuple[str, ...]  # "module.name", sorted, unique; UNRESOLVED_GLOBAL when not static
    opcodes: int
    error: str | None = None  # malformed stream


@dataclass(frozen=True, kw_only=True)
class WeightFile(Observation):
    """A weight file and what a static inspection found in it.

    ``problems`` are structural defects (truncated header, offsets outside the file, bad
    magic); ``globals`` are the callables pickled inside (judged by the policy).
    """

    kind: ClassVar[str] = "weight-file"
    format: str  # safetensors, pytorch, pytorch-zip, pytorch-legacy, torchscript, pickle, gguf, ...
    size: int
    sha256: str | None = None
    inspected: bool = True
    not_inspected_reason: str | None = None  # oversized, lfs-pointer, format-not-inspected, unreadable
    globals: tuple[str, ...] = ()
    pickles: tuple[PickleScan, ...] = ()
    problems: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)  # tensor count, GGUF metadata, ...
    model: str | None = None  # the declared or referenced model this file belongs to

    @property
    def is_pickle(self) -> bool:
        return self.format in PICKLE_FORMATS or self.format.startswith(("pytorch", "torchscript"))


@dataclass
class Inspection:
    """The result of :func:`inspect_weights` (turned into a :class:`WeightFile` by the detector)."""

    format: str
    pickles: list[PickleScan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def globals(self) -> tuple[str, ...]:
        return tuple(sorted({g for p in self.pickles for g in p.globals}))


LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"


def inspect_weights(path: str, stream: IO[bytes], size: int) -> Inspection:
    """Inspect one weight file read from a seekable binary ``stream`` of ``size`` bytes.

    The format is chosen by the content (zip, pickle, safetensors, GGUF, NumPy magic)
    before the name, so a renamed file is still checked for what it is.
    """
    named = weight_format(path) or "unknown"
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _inspect_zip(stream, named)
    if head.startswith(b"GGUF"):
        return _inspect_gguf(stream, size)
    if head.startswith(b"\x93NUMPY"):
        return _inspect_npy(stream, "npy")
    if head[:1] == b"\x80" and len(head) > 1 and 2 <= head[1] <= 5:
        return _inspect_pickles(stream, "pytorch-legacy" if named == "pytorch" else "pickle")
    if named == "safetensors" or _looks_like_safetensors(head, size):
        return _inspect_safetensors(stream, size)
    if named in PICKLE_FORMATS:
        # Protocol 0/1 pickles have no PROTO opcode; walk them anyway.
        return _inspect_pickles(stream, "pickle" if named != "pytorch" else "pytorch-legacy")
    if named == "gguf":
        return Inspection("gguf", problems=["bad-magic"], details={"magic": head[:4].hex()})
    return Inspection(named)


def _looks_like_safetensors(head: bytes, size: int) -> bool:
    if len(head) < 9:
        return False
    n = struct.unpack("<Q", head[:8])[0]
    return 0 < n <= size - 8 and head[8:9] == b"{"


# --- pickles ---------------------------------------------------------------------------

_MARK = object()  # the MARK opcode's stack marker
_OPAQUE = object()  # anything whose value does not matter here

_STRING_OPS = frozenset(
    {
        "STRING",
        "BINSTRING",
        "SHORT_BINSTRING",
        "UNICODE",
        "BINUNICODE",
        "SHORT_BINUNICODE",
        "BINUNICODE8",
    }
)
_PUT_OPS = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_GET_OPS = frozenset({"GET", "BINGET", "LONG_BINGET"})
_EXT_OPS = frozenset({"EXT1", "EXT2", "EXT4"})  # the copyreg extension registry: a global by number


class _Malformed(Exception):
    pass


def scan_pickle(stream: IO[bytes], member: str | None = None) -> PickleScan:
    """Walk one pickle from the stream's position to its STOP opcode; never unpickle.

    A symbolic stack follows the values that matter: strings (the module and name that
    ``STACK_GLOBAL`` pops), marks, and the memo (``BINPUT``/``MEMOIZE`` then ``BINGET``),
    which is how real attacks hide a global's name. Anything else is opaque.
    """
    found: set[str] = set()
    stack: list[object] = []
    memo: dict[int, object] = {}
    count = 0
    try:
        for op, arg, _pos in pickletools.genops(stream):
            count += 1
            if len(stack) > _MAX_PICKLE_STACK:
                raise _Malformed(f"more than {_MAX_PICKLE_STACK:,} values on the stack (a memory bomb)")
            name = op.name
            if name in _STRING_OPS:
                stack.append(arg.decode("latin-1") if isinstance(arg, bytes) else arg)
            elif name == "MARK":
                stack.append(_MARK)
            elif name in _PUT_OPS:
                if not stack:
                    raise _Malformed("memo put on an empty stack")
                memo[int(arg or 0)] = stack[-1]
            elif name == "MEMOIZE":
                if not stack:
                    raise _Malformed("memoize on an empty stack")
                memo[len(memo)] = stack[-1]
            elif name in _GET_OPS:
                stack.append(memo.get(int(arg or 0), _OPAQUE))
            elif name == "DUP":
                if not stack:
                    raise _Malformed("dup on an empty stack")
                stack.append(stack[-1])
            elif name in ("GLOBAL", "INST"):
                module, _sep, attr = str(arg).partition(" ")
                found.add(f"{module}.{attr}" if module and attr else UNRESOLVED_GLOBAL)
                _apply(op, stack)
            elif name == "STACK_GLOBAL":
                if len(stack) < 2:
                    raise _Malformed("STACK_GLOBAL needs two values")
                attr_v, module_v = stack.pop(), stack.pop()
                if isinstance(module_v, str) and isinstance(attr_v, str):
                    found.add(f"{module_v}.{attr_v}")
                else:
                    found.add(UNRESOLVED_GLOBAL)
                stack.append(_OPAQUE)
            elif name in _EXT_OPS:
                found.add(UNRESOLVED_GLOBAL)
                stack.append(_OPAQUE)
            elif name == "STOP":
                if len(stack) != 1 or stack[0] is _MARK:
                    raise _Malformed(f"{len(stack)} values on the stack at STOP, expected one")
                break
            else:
                _apply(op, stack)
    except _Malformed as exc:
        return PickleScan(member, tuple(sorted(found)), count, f"malformed pickle: {exc}")
    except (ValueError, struct.error, UnicodeDecodeError, EOFError, IndexError, KeyError) as exc:
        # genops raises ValueError for unknown opcodes and truncated arguments.
        return PickleScan(member, tuple(sorted(found)), count, f"malformed pickle: {exc}")
    if count == 0:
        return PickleScan(member, (), 0, "empty pickle")
    return PickleScan(member, tuple(sorted(found)), count)


def _apply(op: pickletools.OpcodeInfo, stack: list[object]) -> None:
    """Pop and push as the opcode's declared stack effect says (values become opaque)."""
    before = op.stack_before
    if pickletools.markobject in before:
        below = before.index(pickletools.markobject)
        while True:
            if not stack:
                raise _Malformed(f"{op.name} without a MARK")
            if stack.pop() is _MARK:
                break
        for _ in range(below):
            if not stack:
                raise _Malformed(f"{op.name} on a short stack")
            stack.pop()
    else:
        for _ in before:
            if not stack:
                raise _Malformed(f"{op.name} on a short stack")
            stack.pop()
    for item in op.stack_after:
        stack.append(_MARK if item is pickletools.markobject else _OPAQUE)


def _inspect_pickles(stream: IO[bytes], fmt: str) -> Inspection:
    """One pickle, or several in a row (the legacy PyTorch format), never the raw bytes after."""
    result = Inspection(fmt)
    for index in range(_MAX_PICKLES_IN_A_ROW):
        start = stream.tell()
        if index > 0:
            nxt = stream.read(2)
            stream.seek(start)
            # Past the pickles come raw tensor bytes: stop at the first non-pickle.
            if len(nxt) < 2 or nxt[0] != 0x80 or not 2 <= nxt[1] <= 5:
                break
        scan = scan_pickle(stream, None)
        result.pickles.append(scan)
        if scan.error:
            result.problems.append(scan.error)
            break
    result.details["pickles"] = len(result.pickles)
    return result


def _inspect_zip(stream: IO[bytes], named: str) -> Inspection:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return Inspection(named, problems=[f"bad zip archive: {exc}"])
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        if len(infos) > _MAX_MEMBERS:
            return Inspection(named, problems=[f"zip archive with {len(infos)} members"])
        if named == "npz" or (names and all(n.endswith(".npy") for n in names)):
            return _inspect_npz(archive, infos)
        torchscript = any("/code/" in n or n.startswith("code/") for n in names)
        fmt = "torchscript" if torchscript else "pytorch-zip"
        result = Inspection(fmt, details={"members": len(infos)})
        pkls = [i for i in infos if i.filename.endswith(".pkl")]
        if not pkls:
            result.problems.append("zip archive without a pickle (not a PyTorch archive)")
        budget = _MAX_ARCHIVE_PICKLE_BYTES
        for info in pkls:
            if info.file_size > _MAX_MEMBER_BYTES or info.file_size > budget:
                result.problems.append(f"{info.filename}: pickle member of {info.file_size} bytes not read")
                continue
            budget -= info.file_size
            try:
                # Streamed: genops reads as it walks, so a member never sits in memory whole.
                with archive.open(info) as member:
                    scan = scan_pickle(member, info.filename)
            except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
                result.problems.append(f"{info.filename}: unreadable zip member ({exc})")
                continue
            result.pickles.append(scan)
            if scan.error:
                result.problems.append(f"{info.filename}: {scan.error}")
        return result


def _inspect_npz(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> Inspection:
    result = Inspection("npz", details={"arrays": len(infos)})
    for info in infos:
        if info.file_size > _MAX_MEMBER_BYTES:
            continue
        try:
            with archive.open(info) as member:
                data = member.read(_MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            result.problems.append(f"{info.filename}: unreadable zip member ({exc})")
            continue
        inner = _inspect_npy(io.BytesIO(data), "npy")
        for scan in inner.pickles:
            result.pickles.append(PickleScan(info.filename, scan.globals, scan.opcodes, scan.error))
        result.problems.extend(f"{info.filename}: {p}" for p in inner.problems)
    return result


def _inspect_npy(stream: IO[bytes], fmt: str) -> Inspection:
    """NumPy's format: magic, version, header dict; object arrays are stored as a pickle."""
    head = stream.read(10)
    if len(head) < 10 or not head.startswith(b"\x93NUMPY"):
        return Inspection(fmt, problems=["bad NumPy header"])
    major = head[6]
    if major == 1:
        hlen = struct.unpack("<H", head[8:10])[0]
    else:
        extra = stream.read(2)
        if len(extra) < 2:
            return Inspection(fmt, problems=["truncated NumPy header"])
        hlen = struct.unpack("<I", head[8:10] + extra)[0]
    header = stream.read(hlen).decode("latin-1", errors="replace")
    result = Inspection(fmt, details={"header": header.strip()[:200]})
    # The header is a Python literal; "'descr': '|O'" marks an object array, stored as a pickle.
    if "'|O'" in header or '"|O"' in header or "'O'" in header:
        result.details["object_array"] = True
        scan = scan_pickle(stream, None)
        result.pickles.append(scan)
        if scan.error:
            result.problems.append(scan.error)
    return result


# --- safetensors -----------------------------------------------------------------------

# Bits per element of every safetensors dtype (the crate's Dtype enum).
SAFETENSORS_DTYPE_BITS: dict[str, int] = {
    "BOOL": 8,
    "F4": 4,
    "F6_E2M3": 6,
    "F6_E3M2": 6,
    "U8": 8,
    "I8": 8,
    "F8_E5M2": 8,
    "F8_E4M3": 8,
    "F8_E8M0": 8,
    "I16": 16,
    "U16": 16,
    "F16": 16,
    "BF16": 16,
    "I32": 32,
    "U32": 32,
    "F32": 32,
    "C64": 64,
    "F64": 64,
    "I64": 64,
    "U64": 64,
}


def _inspect_safetensors(stream: IO[bytes], size: int) -> Inspection:
    result = Inspection("safetensors")
    problems = result.problems
    if size < 8:
        problems.append(f"truncated header: {size} bytes, the header length alone takes 8")
        return result
    n = struct.unpack("<Q", stream.read(8))[0]
    result.details["header_bytes"] = n
    if n > _SAFETENSORS_MAX_HEADER:
        problems.append(f"header length {n} exceeds the format's limit of {_SAFETENSORS_MAX_HEADER} bytes")
        return result
    if 8 + n > size:
        problems.append(f"truncated header: it declares {n} bytes but the file has {size - 8} after the length")
        return result
    raw = stream.read(n)
    try:
        header = safeparse.load_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"header is not valid UTF-8 JSON ({exc})")
        return result
    if not isinstance(header, dict):
        problems.append("header is not a JSON object")
        return result
    data_len = size - 8 - n
    spans: list[tuple[int, int, str]] = []
    for name, info in header.items():
        if name == "__metadata__":
            if not isinstance(info, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in info.items()
            ):
                problems.append("__metadata__ must map strings to strings")
            else:
                result.details["metadata"] = dict(list(info.items())[:50])
            continue
        problem = _tensor_problem(name, info, data_len)
        if problem:
            problems.append(problem)
            if len(problems) > 20:
                break
            continue
        begin, end = info["data_offsets"]
        spans.append((begin, end, name))
    spans.sort()
    position = 0
    for begin, end, name in spans:
        if begin < position:
            problems.append(f"tensor {name!r} overlaps the previous tensor")
            break
        if begin > position:
            problems.append(f"a gap of {begin - position} bytes before tensor {name!r}")
            break
        position = end
    if not problems and position != data_len:
        problems.append(f"the tensors cover {position} bytes but {data_len} bytes follow the header")
    result.details["tensors"] = len(spans)
    return result


def _tensor_problem(name: str, info: Any, data_len: int) -> str | None:
    if not isinstance(info, dict):
        return f"tensor {name!r}: not an object"
    dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
    if dtype not in SAFETENSORS_DTYPE_BITS:
        return f"tensor {name!r}: unknown dtype {dtype!r}"
    if (
        not isinstance(shape, list)
        or len(shape) > _MAX_RANK
        or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**64 for d in shape)
    ):
        return f"tensor {name!r}: bad shape {_brief(shape)}"
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)
    ):
        return f"tensor {name!r}: bad data_offsets {_brief(offsets)}"
    begin, end = offsets
    if not 0 <= begin <= end:
        return f"tensor {name!r}: data_offsets {offsets} are not ordered"
    if end > data_len:
        return f"tensor {name!r}: data_offsets end at {end}, past the {data_len} data bytes of the file"
    needed = (math.prod(shape) * SAFETENSORS_DTYPE_BITS[str(dtype)] + 7) // 8
    if needed != end - begin:
        size = f"{needed}" if needed < 2**64 else "more than 2**64"
        return f"tensor {name!r}: shape {shape} of {dtype} needs {size} bytes, offsets give {end - begin}"
    return None


def _brief(value: Any) -> str:
    """A value from a hostile header, short enough for one line (and never a 5,000-digit int)."""
    try:
        text = repr(value)
    except ValueError:  # an int past sys.get_int_max_str_digits()
        return f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


# --- GGUF ------------------------------------------------------------------------------

_GGUF_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_GGUF_KEEP = ("general.", "tokenizer.chat_template")


class _GgufError(Exception):
    pass


def _inspect_gguf(stream: IO[bytes], size: int) -> Inspection:
    """Magic, version (1–3), counts, then the metadata keys, bounds-checked."""
    result = Inspection("gguf")
    head = stream.read(8)
    if len(head) < 8 or head[:4] != b"GGUF":
        result.problems.append("bad-magic")
        return result
    version = struct.unpack("<I", head[4:8])[0]
    result.details["version"] = version
    if version not in (1, 2, 3):
        result.problems.append(f"unsupported GGUF version {version}")
        return result
    count_fmt = "<I" if version == 1 else "<Q"
    try:
        tensors = _read(stream, count_fmt)
        kvs = _read(stream, count_fmt)
        result.details["tensors"] = tensors
        if tensors > _GGUF_MAX_TENSORS or kvs > _GGUF_MAX_KV:
            result.problems.append(f"implausible GGUF counts: {tensors} tensors, {kvs} metadata keys")
            return result
        metadata: dict[str, Any] = {}
        for _ in range(kvs):
            key = _gguf_string(stream, version)
            vtype = _read(stream, "<I")
            value = _gguf_value(stream, vtype, version, keep=key.startswith(_GGUF_KEEP))
            if key.startswith(_GGUF_KEEP):
                metadata[key] = value
        template = metadata.pop("tokenizer.chat_template", None)
        if isinstance(template, str):
            result.details["chat_template_chars"] = len(template)
        result.details["metadata"] = {k: v for k, v in metadata.items() if isinstance(v, str | int | float | bool)}
    except _GgufError as exc:
        result.problems.append(f"invalid GGUF metadata: {exc}")
    return result


def _read(stream: IO[bytes], fmt: str) -> Any:
    n = struct.calcsize(fmt)
    raw = stream.read(n)
    if len(raw) != n:
        raise _GgufError("truncated")
    return struct.unpack(fmt, raw)[0]


def _gguf_string(stream: IO[bytes], version: int) -> str:
    n = _read(stream, "<I" if version == 1 else "<Q")
    if n > _GGUF_MAX_STRING:
        raise _GgufError(f"string of {n} bytes")
    raw = stream.read(n)
    if len(raw) != n:
        raise _GgufError("truncated string")
    return raw.decode("utf-8", errors="replace")


def _gguf_value(stream: IO[bytes], vtype: int, version: int, *, keep: bool, depth: int = 0) -> Any:
    if depth > _GGUF_MAX_DEPTH:
        raise _GgufError(f"arrays nested more than {_GGUF_MAX_DEPTH} deep")
    if vtype in _GGUF_SCALARS:
        return _read(stream, _GGUF_SCALARS[vtype])
    if vtype == 8:
        return _gguf_string(stream, version)
    if vtype == 9:
        inner = _read(stream, "<I")
        count = _read(stream, "<I" if version == 1 else "<Q")
        if count > _GGUF_MAX_ARRAY:
            raise _GgufError(f"array of {count} items")
        if inner in _GGUF_SCALARS and not keep:
            stream.seek(struct.calcsize(_GGUF_SCALARS[inner]) * count, io.SEEK_CUR)
            return None
        items = [_gguf_value(stream, inner, version, keep=keep, depth=depth + 1) for _ in range(count)]
        return items if keep else None
    raise _GgufError(f"unknown value type {vtype}")


def iter_weight_paths(paths: Iterator[str]) -> Iterator[tuple[str, str]]:
    """``(path, format)`` for the weight files among ``paths``."""
    for p in paths:
        fmt = weight_format(p)
        if fmt is not None:
            yield p, fmt
