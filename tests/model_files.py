"""Model files built byte by byte for the tests: pickles, PyTorch archives, safetensors, GGUF.

Nothing here imports torch or unpickles anything: pickles are assembled from raw opcodes
(``pickletools`` documents each one), so a test can hold a pickle that *would* call
``os.system`` without that pickle ever being loaded.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile


def _s(text: str) -> bytes:
    """SHORT_BINUNICODE: push a short string."""
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def _u(text: str) -> bytes:
    """BINUNICODE: push a string (what protocol 2 pickles, torch.save's default, use)."""
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def _global(module: str, name: str) -> bytes:
    """GLOBAL (protocol 0–3 style): ``c<module>\\n<name>\\n``."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


PROTO2 = b"\x80\x02"
STOP = b"."
MARK = b"("
TUPLE = b"t"
EMPTY_TUPLE = b")"
REDUCE = b"R"
BUILD = b"b"
SETITEMS = b"u"
NEWFALSE = b"\x89"
BINPERSID = b"Q"


def _binput(i: int) -> bytes:
    return b"q" + bytes([i])


def _binint1(i: int) -> bytes:
    return b"K" + bytes([i])


def evil_pickle_global() -> bytes:
    """``os.system('echo pwned')`` the plain way: GLOBAL + REDUCE."""
    return PROTO2 + _global("os", "system") + _s("echo pwned") + b"\x85" + REDUCE + STOP


def evil_pickle_memo() -> bytes:
    """The same call hidden behind STACK_GLOBAL whose strings come back from the memo.

    Protocol 4: push "posix", memoize, push "system", memoize, pop both, get them back
    with BINGET, then STACK_GLOBAL: a scanner that only looks at the two opcodes before
    STACK_GLOBAL sees BINGETs, not strings.
    """
    return (
        b"\x80\x04"
        + _s("posix")
        + b"\x94"  # MEMOIZE -> memo[0]
        + b"0"  # POP
        + _s("system")
        + b"\x94"  # MEMOIZE -> memo[1]
        + b"0"  # POP
        + b"h\x00"  # BINGET 0
        + b"h\x01"  # BINGET 1
        + b"\x93"  # STACK_GLOBAL
        + _s("id")
        + b"\x85"
        + REDUCE
        + STOP
    )


def evil_pickle_builtins_exec() -> bytes:
    return b"\x80\x04" + _s("builtins") + _s("exec") + b"\x93" + _s("print(1)") + b"\x85" + REDUCE + STOP


def state_dict_pickle() -> bytes:
    """The data.pkl ``torch.save({'weight': tensor, 'bias': tensor})`` writes (protocol 2).

    ``OrderedDict()`` then, per tensor, ``_rebuild_tensor_v2(persistent storage, offset,
    size, stride, requires_grad, backward_hooks)`` with the storage as a persistent id
    ``('storage', torch.FloatStorage, key, 'cpu', numel)``.
    """
    out = PROTO2 + _global("collections", "OrderedDict") + _binput(0) + EMPTY_TUPLE + REDUCE + _binput(1) + MARK
    for key, (name, numel, shape) in enumerate([("weight", 4, (2, 2)), ("bias", 2, (2,))]):
        out += _u(name)
        out += _global("torch._utils", "_rebuild_tensor_v2") + _binput(2 + key * 10)
        out += MARK  # the argument tuple
        out += MARK + _u("storage") + _global("torch", "FloatStorage") + _u(str(key)) + _u("cpu")
        out += _binint1(numel) + TUPLE + BINPERSID
        out += _binint1(0)  # storage offset
        out += MARK + b"".join(_binint1(d) for d in shape) + TUPLE
        out += MARK + (_binint1(shape[-1]) + _binint1(1) if len(shape) == 2 else _binint1(1)) + TUPLE
        out += NEWFALSE
        out += _global("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE
        out += TUPLE + REDUCE
    out += SETITEMS + STOP
    return out


def torch_zip(pickle_bytes: bytes, name: str = "model") -> bytes:
    """A PyTorch >= 1.6 archive: ``<name>/data.pkl``, ``<name>/data/<key>``, ``<name>/version``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{name}/data.pkl", pickle_bytes)
        zf.writestr(f"{name}/byteorder", "little")
        zf.writestr(f"{name}/data/0", struct.pack("<4f", 0.1, 0.2, 0.3, 0.4))
        zf.writestr(f"{name}/data/1", struct.pack("<2f", 0.0, 0.0))
        zf.writestr(f"{name}/version", "3\n")
    return buf.getvalue()


def safetensors_bytes(tensors: dict[str, tuple[str, list[int]]] | None = None) -> bytes:
    """A valid safetensors file with zero-filled tensors (dtype, shape)."""
    tensors = tensors or {"weight": ("F32", [2, 2]), "bias": ("F16", [2])}
    size_of = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8, "U8": 1}
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, (dtype, shape) in tensors.items():
        n = size_of[dtype]
        for d in shape:
            n *= d
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\0" * offset


def truncated_safetensors() -> bytes:
    """A header length that promises more bytes than the file holds (a cut download)."""
    full = safetensors_bytes()
    n = struct.unpack("<Q", full[:8])[0]
    return full[: 8 + n // 2]


def gguf_bytes(license: str = "apache-2.0", version: int = 3) -> bytes:
    """A GGUF header with a few general.* keys and a chat template, no tensors."""

    def string(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    kvs = [
        ("general.architecture", "llama"),
        ("general.name", "tiny"),
        ("general.license", license),
        ("tokenizer.chat_template", "{% for m in messages %}{{ m.content }}{% endfor %}"),
    ]
    out = b"GGUF" + struct.pack("<I", version) + struct.pack("<Q", 0) + struct.pack("<Q", len(kvs) + 1)
    for key, value in kvs:
        out += string(key) + struct.pack("<I", 8) + string(value)
    # an array of strings, as tokenizer.ggml.tokens is
    out += string("tokenizer.ggml.tokens") + struct.pack("<I", 9) + struct.pack("<I", 8) + struct.pack("<Q", 3)
    out += string("<s>") + string("a") + string("b")
    return out
