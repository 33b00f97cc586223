"""JavaScript and TypeScript: imports, ``new OpenAI({ baseURL })``, provider factories, hosts.

Parsed with tree-sitter (the grammar wheels ``tree_sitter_javascript`` and
``tree_sitter_typescript``; nothing is downloaded at run time). A tree with syntax errors,
or a minified bundle, falls back to the token scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import tree_sitter as ts

from oscheck.detectors.ai_api.catalogue import Catalogue, ClientSpec
from oscheck.detectors.ai_api.common import host_uses, key_uses, short
from oscheck.detectors.ai_api.records import EndpointRef, FileResult, LocalHint, RawUse, Step
from oscheck.detectors.ai_api.tokens import token_scan

_MAX_DEPTH = 10
_MINIFIED_LINE = 2000  # a line this long is a bundle, not source a person wrote


@cache
def _parser(dialect: str) -> ts.Parser:
    if dialect == "typescript":
        import tree_sitter_typescript

        lang = ts.Language(tree_sitter_typescript.language_typescript())
    elif dialect == "tsx":
        import tree_sitter_typescript

        lang = ts.Language(tree_sitter_typescript.language_tsx())
    else:
        import tree_sitter_javascript

        lang = ts.Language(tree_sitter_javascript.language())
    return ts.Parser(lang)


def dialect_of(path: str) -> str:
    low = path.lower()
    if low.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    if low.endswith(".tsx"):
        return "tsx"
    return "javascript"


@dataclass
class _Binding:
    target: str  # "module" or "module.name"
    line: int
    text: str
    module: str


def _text(node: ts.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def _line(node: ts.Node) -> int:
    return node.start_point[0] + 1


def _string_value(node: ts.Node) -> str | None:
    if node.type == "string":
        return "".join(_text(c) for c in node.named_children if c.type in ("string_fragment", "escape_sequence"))
    return None


class JsScanner:
    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.spec = cat.javascript
        self._mock_calls = set(self.spec.mock_calls)
        names = {m.module for m in self.spec.modules} | {c.symbol.rsplit(".", 1)[0] for c in self.spec.clients.values()}
        names |= set(cat.local_npm)
        self._modules = tuple(f"{q}{n}{q}" for n in sorted(names) for q in ("'", '"', "`"))

    def scan(self, data: bytes, dialect: str) -> FileResult:
        text = data.decode("utf-8", "replace")
        if any(len(line) > _MINIFIED_LINE for line in text.splitlines()):
            result = token_scan(text, self.cat, "javascript")
            result.parse_error = "minified (a line longer than 2000 characters)"
            return result
        if not any(m in text for m in self._modules):
            # No catalogue package is imported: only string literals (hosts, keys) matter.
            if not self.cat.may_name_hosts_or_keys(data):
                return FileResult(language="javascript", parse="skip")
            return token_scan(text, self.cat, "javascript", parse="literal")
        tree = _parser(dialect).parse(data)
        if tree.root_node.has_error:
            result = token_scan(text, self.cat, "javascript")
            result.parse_error = "syntax error"
            return result
        return _JsVisit(self, text).run(tree.root_node)


class _JsVisit:
    def __init__(self, owner: JsScanner, text: str) -> None:
        self.o = owner
        self.cat = owner.cat
        self.text = text
        self.result = FileResult(language="javascript", parse="tree-sitter")
        self.bindings: dict[str, _Binding] = {}
        self.consts: dict[str, ts.Node] = {}
        self.calls: list[ts.Node] = []
        self.strings: list[ts.Node] = []
        self.consumed: set[tuple[int, int]] = set()

    def run(self, root: ts.Node) -> FileResult:
        self._collect(root)
        uses: list[RawUse] = []
        called: set[str] = set()
        for node in self.calls:
            callee = node.child_by_field_name("constructor" if node.type == "new_expression" else "function")
            if callee is None:
                continue
            name = self._resolve(callee)
            if name is None:
                continue
            if node.type == "call_expression" and name in self._mock_names():
                self.result.mocked = True
                continue
            spec, label = self._client(name, node.type == "new_expression")
            if spec is None:
                continue
            use = self._use(node, spec, label)
            uses.append(use)
            called.add(spec.provider or "")
        for b in self.bindings.values():
            mod = self.o.spec.module_for(b.module)
            if mod is None or mod.mode != "hosted" or mod.provider in called:
                continue
            called.add(mod.provider)
            uses.append(
                RawUse(
                    provider=mod.provider,
                    mode="hosted",
                    via="import",
                    symbol=b.module,
                    line=b.line,
                    chain=(Step("import", b.line, b.text),),
                    module=b.module,
                )
            )
        for node in self.strings:
            if (node.start_byte, node.end_byte) in self.consumed:
                continue
            body = _text(node)
            if self.cat.host_regex.search(body):
                uses.extend(host_uses(body, self.cat, _line(node)))
            if self.cat.key_regex.search(body):
                uses.extend(key_uses(body, self.cat, None, line=_line(node)))
        self.result.uses = uses
        return self.result

    def _mock_names(self) -> set[str]:
        return self.o._mock_calls

    # -- pass 1 ----------------------------------------------------------------------
    def _collect(self, root: ts.Node) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            t = node.type
            if t == "import_statement":
                self._import(node)
                continue
            if t == "variable_declarator":
                self._declarator(node)
            elif t in ("new_expression", "call_expression"):
                self.calls.append(node)
            elif t in ("string", "template_string"):
                self.strings.append(node)
                if t == "string":
                    continue
            elif t == "comment":
                continue
            stack.extend(reversed(node.named_children))

    def _import(self, node: ts.Node) -> None:
        if any(c.type == "type" for c in node.children):
            return  # ``import type`` is erased at compile time
        source = node.child_by_field_name("source")
        module = _string_value(source) if source is not None else None
        if not module:
            return
        self._note_module(module, _line(node))
        line = _line(node)
        text = short(_text(node), 100)
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            self.bindings[f"<side-effect>{module}"] = _Binding(module, line, text, module)
            return
        for c in clause.named_children:
            if c.type == "identifier":
                self.bindings[_text(c)] = _Binding(f"{module}.default", line, text, module)
            elif c.type == "namespace_import":
                ident = next((x for x in c.named_children if x.type == "identifier"), None)
                if ident is not None:
                    self.bindings[_text(ident)] = _Binding(module, line, text, module)
            elif c.type == "named_imports":
                for spec in c.named_children:
                    if spec.type != "import_specifier" or any(x.type == "type" for x in spec.children):
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or name
                    self.bindings[_text(alias)] = _Binding(f"{module}.{_text(name)}", line, text, module)

    def _note_module(self, module: str, line: int) -> None:
        if module in self.cat.local_npm:
            self.result.local.append(LocalHint("package", module, line))
        if module in self.o.spec.mock_modules:
            self.result.mocked = True

    def _required(self, value: ts.Node) -> str | None:
        node = value
        if node.type == "await_expression" and node.named_children:
            node = node.named_children[0]
        if node.type != "call_expression":
            return None
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None or args is None or not args.named_children:
            return None
        if (fn.type == "identifier" and _text(fn) == "require") or fn.type == "import":
            return _string_value(args.named_children[0])
        return None

    def _declarator(self, node: ts.Node) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None or value is None:
            return
        module = self._required(value)
        line = _line(node)
        if module:
            self._note_module(module, line)
            text = short(_text(node), 100)
            if name.type == "identifier":
                self.bindings[_text(name)] = _Binding(module, line, text, module)
            elif name.type == "object_pattern":
                for p in name.named_children:
                    if p.type == "shorthand_property_identifier_pattern":
                        self.bindings[_text(p)] = _Binding(f"{module}.{_text(p)}", line, text, module)
                    elif p.type == "pair_pattern":
                        key, val = p.child_by_field_name("key"), p.child_by_field_name("value")
                        if key is not None and val is not None and val.type == "identifier":
                            self.bindings[_text(val)] = _Binding(f"{module}.{_text(key)}", line, text, module)
            return
        if name.type == "identifier":
            self.consts[_text(name)] = value

    # -- names and values --------------------------------------------------------------
    def _resolve(self, node: ts.Node) -> str | None:
        parts: list[str] = []
        depth = 0
        while node.type == "member_expression" and depth < 16:
            prop = node.child_by_field_name("property")
            obj = node.child_by_field_name("object")
            if prop is None or obj is None:
                return None
            parts.append(_text(prop))
            node = obj
            depth += 1
        if node.type != "identifier":
            return None
        name = _text(node)
        if name in self.bindings:
            return ".".join([self.bindings[name].target, *reversed(parts)])
        if name in ("jest", "vi"):
            return ".".join([name, *reversed(parts)])
        return None

    def _client(self, name: str, constructed: bool) -> tuple[ClientSpec | None, str]:
        clients = self.o.spec.clients
        if name in clients:
            return clients[name], name
        if constructed and f"{name}.default" in clients:
            return clients[f"{name}.default"], name
        # ``openai.chat("gpt-4o")`` on a provider instance
        head = name.rsplit(".", 1)[0]
        if head in clients and clients[head].instance:
            return clients[head], name
        return None, name

    def _endpoint(self, node: ts.Node, depth: int = 0) -> EndpointRef:
        line = _line(node)
        if depth > _MAX_DEPTH:
            return EndpointRef("unresolved", short(_text(node), 80), line=line)
        t = node.type
        if t == "string":
            self.consumed.add((node.start_byte, node.end_byte))
            return EndpointRef("literal", _string_value(node) or "", line=line)
        if t == "template_string":
            self.consumed.add((node.start_byte, node.end_byte))
            out = []
            for c in node.named_children:
                if c.type == "string_fragment":
                    out.append(_text(c))
                elif c.type == "template_substitution" and c.named_children:
                    ref = self._endpoint(c.named_children[0], depth + 1)
                    out.append(ref.value if ref.kind == "literal" and ref.value is not None else "{?}")
            return EndpointRef("literal", "".join(out), line=line)
        if t in ("identifier", "shorthand_property_identifier"):
            value = self.consts.get(_text(node))
            if value is None:
                return EndpointRef("unresolved", _text(node), line=line)
            inner = self._endpoint(value, depth + 1)
            return EndpointRef(inner.kind, inner.value, inner.env, inner.line, "constant")
        if t in ("member_expression", "subscript_expression"):
            env = self._env_name(node)
            if env:
                return EndpointRef("env", None, env, line)
            return EndpointRef("unresolved", short(_text(node), 80), line=line)
        if t == "binary_expression":
            op = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op is not None and _text(op) in ("||", "??") and left is not None and right is not None:
                first = self._endpoint(left, depth + 1)
                fallback = self._endpoint(right, depth + 1)
                if first.kind == "env" and fallback.kind == "literal":
                    return EndpointRef("env", fallback.value, first.env, line)
                return first
            if op is not None and _text(op) == "+" and left is not None and right is not None:
                a, b = self._endpoint(left, depth + 1), self._endpoint(right, depth + 1)
                va = a.value if a.kind == "literal" and a.value is not None else "{?}"
                vb = b.value if b.kind == "literal" and b.value is not None else "{?}"
                return EndpointRef("literal", va + vb, line=line)
        if t in ("parenthesized_expression", "as_expression", "non_null_expression") and node.named_children:
            return self._endpoint(node.named_children[0], depth + 1)
        return EndpointRef("unresolved", short(_text(node), 80), line=line)

    def _env_name(self, node: ts.Node) -> str | None:
        text = _text(node).replace(" ", "")
        for prefix in ("process.env.", "import.meta.env.", "Deno.env.get("):
            if text.startswith(prefix):
                return text[len(prefix) :].strip("()'\"")
        for prefix in ("process.env[", "import.meta.env["):
            if text.startswith(prefix):
                return text[len(prefix) :].rstrip("]").strip("'\"`")
        return None

    def _options(self, call: ts.Node) -> tuple[ts.Node | None, bool]:
        """The options object of a call, and whether it may hide the endpoint."""
        args = call.child_by_field_name("arguments")
        if args is None or not args.named_children:
            return None, False
        first = args.named_children[0]
        if first.type == "identifier" and _text(first) in self.consts:
            first = self.consts[_text(first)]
        if first.type == "object":
            return first, any(c.type == "spread_element" for c in first.named_children)
        # An options object we cannot see (a parameter, an imported config) may set the endpoint.
        return None, first.type in ("identifier", "spread_element")

    def _find(self, obj: ts.Node, path: str) -> ts.Node | None:
        head, _, rest = path.partition(".")
        for c in obj.named_children:
            if c.type == "pair":
                key = c.child_by_field_name("key")
                keytext = _text(key).strip("'\"") if key is not None else ""
                if keytext == head:
                    value = c.child_by_field_name("value")
                    if not rest:
                        return value
                    if value is not None and value.type == "object":
                        return self._find(value, rest)
            elif c.type == "shorthand_property_identifier" and _text(c) == head and not rest:
                return c
        return None

    def _use(self, call: ts.Node, spec: ClientSpec, label: str) -> RawUse:
        chain: list[Step] = []
        root = label.split(".")[0]
        binding = next((b for b in self.bindings.values() if label.startswith(b.target) or b.module == root), None)
        if binding is not None:
            chain.append(Step("import", binding.line, binding.text))
        chain.append(Step("client", _line(call), short(_text(call), 100)))
        endpoint: EndpointRef | None = None
        opaque = False
        if not spec.instance:
            options, opaque = self._options(call)
            if options is not None:
                for arg in spec.endpoint_args:
                    found = self._find(options, arg)
                    if found is not None:
                        endpoint = self._endpoint(found)
                        break
        if endpoint is not None:
            opaque = False
            chain.append(
                Step("endpoint", endpoint.line, f"{endpoint.value or '$' + (endpoint.env or '')} ({endpoint.kind})")
            )
        return RawUse(
            provider=spec.provider,
            mode=spec.mode,
            via="sdk",
            symbol=label,
            line=_line(call),
            chain=tuple(chain),
            endpoint=endpoint,
            endpoint_env=spec.endpoint_env,
            default=spec.default,
            module=binding.module if binding else None,
            opaque_kwargs=opaque,
        )
