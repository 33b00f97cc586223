"""Java and Go: SDK imports, endpoint setters with literal URLs, and API hosts in strings.

Coarser than Python and JavaScript on purpose: one use per imported SDK package, at the
import, whose endpoint is the first literal given to a catalogue endpoint setter in the
file (``.baseUrl("…")``, ``option.WithBaseURL("…")``, ``config.BaseURL = "…"``).
"""

from __future__ import annotations

from functools import cache

import tree_sitter as ts

from oscheck.detectors.ai_api.catalogue import Catalogue, ModuleSpec
from oscheck.detectors.ai_api.common import host_uses, key_uses, short
from oscheck.detectors.ai_api.records import EndpointRef, FileResult, RawUse, Step
from oscheck.detectors.ai_api.tokens import token_scan


@cache
def _parser(language: str) -> ts.Parser:
    if language == "go":
        import tree_sitter_go

        return ts.Parser(ts.Language(tree_sitter_go.language()))
    import tree_sitter_java

    return ts.Parser(ts.Language(tree_sitter_java.language()))


_STRINGS = {"string_literal", "interpreted_string_literal", "raw_string_literal"}


def _text(node: ts.Node | None) -> str:
    return "" if node is None or node.text is None else node.text.decode("utf-8", "replace")


def _unquote(node: ts.Node) -> str:
    t = _text(node)
    if t.startswith('"""'):
        return t[3:-3]
    return t[1:-1] if len(t) >= 2 else t


class JvmGoScanner:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat

    def scan(self, data: bytes, language: str) -> FileResult:
        packages = self.cat.go_packages if language == "go" else self.cat.java_packages
        if not any(p.module.encode() in data for p in packages):
            # No SDK package named anywhere: only string literals (hosts, keys) can matter.
            if not self.cat.may_name_hosts_or_keys(data):
                return FileResult(language=language, parse="skip")
            result = token_scan(data.decode("utf-8", "replace"), self.cat, "javascript", parse="literal")
            result.language = language
            return result
        tree = _parser(language).parse(data)
        if tree.root_node.has_error:
            result = token_scan(data.decode("utf-8", "replace"), self.cat, "javascript")
            result.language = language
            result.parse_error = "syntax error"
            return result
        setters = set(self.cat.go_endpoint_calls if language == "go" else self.cat.java_endpoint_methods)
        result = FileResult(language=language, parse="tree-sitter")
        imports: list[tuple[str, int]] = []
        strings: list[ts.Node] = []
        endpoint: EndpointRef | None = None
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            t = node.type
            if t == "import_spec":
                path = node.child_by_field_name("path")
                if path is not None:
                    imports.append((_unquote(path), node.start_point[0] + 1))
                continue
            if t == "import_declaration" and language == "java":
                name = next((c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None)
                if name is not None:
                    imports.append((_text(name), node.start_point[0] + 1))
                continue
            if t in _STRINGS:
                strings.append(node)
                continue
            if endpoint is None:
                endpoint = self._setter(node, setters)
            if t != "comment" and t != "line_comment" and t != "block_comment":
                stack.extend(reversed(node.named_children))
        consumed = endpoint.line if endpoint is not None else None
        seen: set[str] = set()
        for import_path, line in imports:
            spec = _package(packages, import_path)
            if spec is None or spec.module in seen:
                continue
            seen.add(spec.module)
            chain = [Step("import", line, import_path)]
            if endpoint is not None and spec.mode == "compatible":
                chain.append(Step("endpoint", endpoint.line, f"{endpoint.value} (setter)"))
            result.uses.append(
                RawUse(
                    provider=spec.provider,
                    mode=spec.mode,
                    via="import",
                    symbol=import_path,
                    line=line,
                    chain=tuple(chain),
                    endpoint=endpoint if spec.mode == "compatible" else None,
                    default=self.cat.jvm_go_defaults.get(spec.provider),
                    module=import_path,
                )
            )
        for node in strings:
            line = node.start_point[0] + 1
            value = _unquote(node)
            if line != consumed and self.cat.host_regex.search(value):
                result.uses.extend(host_uses(value, self.cat, line))
            if self.cat.key_regex.search(value):
                result.uses.extend(key_uses(value, self.cat, None, line=line))
        return result

    def _setter(self, node: ts.Node, setters: set[str]) -> EndpointRef | None:
        t = node.type
        name: ts.Node | None = None
        value: ts.Node | None = None
        if t == "method_invocation":
            name = node.child_by_field_name("name")
            args = node.child_by_field_name("arguments")
            value = args.named_children[0] if args is not None and args.named_children else None
        elif t == "call_expression":
            fn = node.child_by_field_name("function")
            name = fn.child_by_field_name("field") if fn is not None and fn.type == "selector_expression" else fn
            args = node.child_by_field_name("arguments")
            value = args.named_children[0] if args is not None and args.named_children else None
        elif t == "assignment_statement":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            target = left.named_children[0] if left is not None and left.named_children else None
            if target is not None and target.type == "selector_expression":
                name = target.child_by_field_name("field")
            value = right.named_children[0] if right is not None and right.named_children else None
        if name is None or value is None or _text(name) not in setters:
            return None
        line = node.start_point[0] + 1
        if value.type in _STRINGS:
            return EndpointRef("literal", _unquote(value), line=line, via="setter")
        return EndpointRef("unresolved", short(_text(value), 80), line=line, via="setter")


def _package(packages: tuple[ModuleSpec, ...], path: str) -> ModuleSpec | None:
    best: ModuleSpec | None = None
    for p in packages:
        if (path == p.module or path.startswith(p.module + "/") or path.startswith(p.module + ".")) and (
            best is None or len(p.module) > len(best.module)
        ):
            best = p
    return best
