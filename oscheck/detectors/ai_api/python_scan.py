"""Python: imports, client construction and endpoint arguments, read with ``ast``.

Nothing is executed. Names are resolved the way a reader would: import aliases
(``import openai as oa``, ``from openai import OpenAI as C``, ``importlib.import_module``),
simple assignments in the same function or at module level, parameter defaults, and
``os.getenv``/``os.environ`` reads with their defaults. What cannot be read statically is
kept as source text so the policy can ask for a review instead of guessing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from oscheck.detectors.ai_api.catalogue import Catalogue, ClientSpec
from oscheck.detectors.ai_api.common import host_uses, key_uses, short
from oscheck.detectors.ai_api.records import EndpointRef, EnvSet, FileResult, LocalHint, RawUse, Step
from oscheck.detectors.ai_api.tokens import token_scan

_ENV_GET = {"os.getenv", "os.environ.get", "os.environ.setdefault", "environ.get", "getenv"}
_ENV_SET = {"os.environ.setdefault", "os.putenv"}
_IMPORTERS = {"importlib.import_module", "__import__", "import_module"}
_MOCK_PARAMS = {"monkeypatch", "mocker", "httpx_mock", "respx_mock", "requests_mock"}
_MAX_DEPTH = 12
_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
_INTERESTING = frozenset({ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.Call, ast.Constant, ast.ClassDef})


@dataclass
class _Binding:
    target: str  # the dotted name it stands for
    line: int
    text: str


@dataclass
class _Scope:
    assigns: dict[str, list[tuple[int, ast.expr]]] = field(default_factory=dict)
    params: dict[str, ast.expr | None] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)


class PythonScanner:
    """Scans one Python source; instances are cheap and hold only the catalogue."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        spec = cat.python
        self._by_name: dict[str, list[ClientSpec]] = {}
        for c in spec.clients.values():
            self._by_name.setdefault(c.symbol.rsplit(".", 1)[-1], []).append(c)
        self._factories = {f.symbol: f for f in spec.factories}
        self._mock = set(spec.mock_modules)

    def scan(self, data: bytes) -> FileResult:
        text = data.decode("utf-8", "replace")
        if not self._imports_something(text):
            # No SDK import: only string literals (hosts, keys) can matter; no AST needed.
            if not self.cat.may_name_hosts_or_keys(data):
                return FileResult(language="python", parse="skip")
            return token_scan(text, self.cat, "python", parse="literal")
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            result = token_scan(text, self.cat, "python")
            result.parse_error = f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"
            return result
        try:
            return _Visit(self, text).run(tree)
        except RecursionError:
            result = token_scan(text, self.cat, "python")
            result.parse_error = "RecursionError: nesting too deep"
            return result

    def _imports_something(self, text: str) -> bool:
        """Whether any import of the file can lead to a use (else no AST is needed)."""
        cat = self.cat
        dynamic = "import_module" in text or "__import__" in text
        if dynamic and any(cat.python_import_matters(m.group(1)) for m in _DYNAMIC_IMPORT.finditer(text)):
            return True
        for m in _IMPORT_LINE.finditer(text):
            module, names, plain = m.groups()
            if module:
                listed = [n.split()[0] for n in names.replace("(", " ").split(",") if n.split()] if names else []
                if cat.python_import_matters(module, listed or ["*"] if names and "(" in names else listed):
                    return True
            elif plain:
                for item in plain.split(","):
                    words = item.split()
                    if words and cat.python_import_matters(words[0]):
                        return True
        return False


# from M import a, b / from M import (a,   (a parenthesised list may continue: "*" = anything)
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+([^\n#;]*)|import[ \t]+([\w., \t]+))", re.M)
_DYNAMIC_IMPORT = re.compile(r"(?:import_module|__import__)\(\s*['\"]([\w.]+)")


class _Visit:
    def __init__(self, owner: PythonScanner, text: str) -> None:
        self.o = owner
        self.cat = owner.cat
        self.text = text
        self.result = FileResult(language="python")
        self.bindings: dict[str, _Binding] = {}
        self.module_scope = _Scope()
        self.scopes: list[_Scope] = [self.module_scope]
        self.scope_of: dict[int, _Scope] = {}
        self.calls: list[tuple[ast.Call, _Scope]] = []
        self.strings: list[ast.Constant] = []
        self.docstrings: set[int] = set()
        self.consumed: set[int] = set()
        self.module_endpoints: dict[str, EndpointRef] = {}

    # -- pass 1: bindings, assignments, calls, strings -------------------------------
    def run(self, tree: ast.Module) -> FileResult:
        self._collect(tree)
        uses: list[RawUse] = []
        providers_called: set[tuple[str | None, str]] = set()
        module_calls: dict[str, tuple[ast.Call, str]] = {}
        for call, scope in self.calls:
            name = self._dotted(call.func, scope)
            if name is None:
                continue
            use = self._client_use(call, name, scope)
            if use is not None:
                if use.mode == "local":
                    self.result.local.append(LocalHint("client", use.symbol, use.line))
                else:
                    uses.append(use)
                    providers_called.add((use.provider, use.module or ""))
                continue
            if self._via_instance(call.func, scope):
                continue
            mod = self.cat.python.module_for(name)
            if mod is not None and mod.module not in module_calls:
                module_calls[mod.module] = (call, name)
        for module, (call, name) in module_calls.items():
            spec = self.cat.python.module_for(name)
            assert spec is not None
            if (spec.provider, module.split(".")[0]) in providers_called:
                continue
            uses.append(self._module_call_use(call, name, spec.provider, spec.mode, module))
            providers_called.add((spec.provider, module.split(".")[0]))
        # Hosted SDKs imported but never called here: the import itself is the use.
        seen_imports: set[str] = set()
        for binding in self.bindings.values():
            spec = self.cat.python.module_for(binding.target)
            if spec is None or spec.mode != "hosted" or spec.module in seen_imports:
                continue
            if any(p == spec.provider for p, _m in providers_called):
                continue
            seen_imports.add(spec.module)
            uses.append(
                RawUse(
                    provider=spec.provider,
                    mode="hosted",
                    via="import",
                    symbol=spec.module,
                    line=binding.line,
                    chain=(Step("import", binding.line, binding.text),),
                    module=binding.target.split(".")[0],
                )
            )
        hosts = self.cat.host_regex.search(self.text) is not None
        keys = self.cat.key_regex.search(self.text) is not None
        for const in self.strings if hosts or keys else ():
            if id(const) in self.docstrings or id(const) in self.consumed:
                continue
            value = const.value
            assert isinstance(value, str)
            if hosts:
                uses.extend(host_uses(value, self.cat, const.lineno))
            if keys and self.cat.key_regex.search(value):
                uses.extend(key_uses(value, self.cat, None, line=const.lineno))
        for binding in self.bindings.values():
            for local in self.cat.local_python_modules:
                if binding.target == local or binding.target.startswith(local + "."):
                    self.result.local.append(LocalHint("python-module", local, binding.line))
        self.result.uses = _dedupe(uses)
        return self.result

    def _collect(self, tree: ast.Module) -> None:
        self._docstring(tree)
        self._walk(tree.body)

    def _docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.docstrings.add(id(body[0].value))

    def _walk(self, stmts: list[ast.stmt]) -> None:
        # An explicit stack and a dispatch on the node's type: this loop runs once per
        # node of every parsed file, so it avoids NodeVisitor and isinstance chains.
        stack: list[ast.AST] = list(reversed(stmts))
        pop, extend, visit = stack.pop, stack.extend, self._visit
        function_types = _FUNCTIONS
        interesting = _INTERESTING
        while stack:
            node = stack.pop()
            t = type(node)
            if t in function_types:
                self._function(node)  # type: ignore[arg-type]
                continue
            if t in interesting:
                if t is ast.ClassDef:
                    self._docstring(node)
                visit(node)
            for name in node._fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    extend(v for v in reversed(value) if isinstance(v, ast.AST))
                elif isinstance(value, ast.AST):
                    stack.append(value)
        del pop

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for d in getattr(node, "decorator_list", ()):
            self._walk_expr(d)
        args = node.args
        scope = _Scope()
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for a, d in zip(positional, defaults, strict=True):
            scope.params[a.arg] = d
        for a, kd in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            scope.params[a.arg] = kd
        for d in [*args.defaults, *(x for x in args.kw_defaults if x is not None)]:
            self._walk_expr(d)
        if any(a.arg in _MOCK_PARAMS for a in [*positional, *args.kwonlyargs]):
            self.result.mocked = True
        self.scopes.append(scope)
        try:
            if isinstance(node, ast.Lambda):
                self._walk_expr(node.body)
            else:
                self._docstring(node)
                self._walk(node.body)
        finally:
            self.scopes.pop()

    def _walk_expr(self, node: ast.AST) -> None:
        self._walk([ast.Expr(node)])  # type: ignore[arg-type]

    def _visit(self, node: ast.AST) -> None:
        scope = self.scopes[-1]
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    self._bind(a.asname, a.name, node.lineno, f"import {a.name} as {a.asname}")
                else:
                    # ``import a.b.c`` binds ``a`` but says "a.b.c is used": keep the full name.
                    self._bind(a.name.split(".")[0], a.name.split(".")[0], node.lineno, f"import {a.name}")
                    if "." in a.name:
                        self._bind(a.name, a.name, node.lineno, f"import {a.name}")
                self._mock_import(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                for a in node.names:
                    local = a.asname or a.name
                    self._bind(local, f"{node.module}.{a.name}", node.lineno, f"from {node.module} import {a.name}")
                    self._mock_import(f"{node.module}.{a.name}")
                self._mock_import(node.module)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if value is None:
                return
            for t in targets:
                if isinstance(t, ast.Name):
                    scope.assigns.setdefault(t.id, []).append((node.lineno, value))
                    self._instance(t.id, value, scope, node.lineno)
                elif isinstance(t, ast.Attribute):
                    self._module_attribute(t, value, scope)
                elif isinstance(t, ast.Subscript):
                    self._environ_set(t, value, scope)
        elif isinstance(node, ast.Call):
            self.calls.append((node, scope))
            name = self._dotted(node.func, scope)
            if name in _ENV_SET and len(node.args) >= 2:
                self._env_literal(node.args[0], node.args[1], scope, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.strings.append(node)

    def _bind(self, name: str, target: str, line: int, text: str) -> None:
        self.bindings[name] = _Binding(target, line, text)

    def _mock_import(self, module: str) -> None:
        if any(module == m or module.startswith(m + ".") for m in self.o._mock):
            self.result.mocked = True

    def _instance(self, name: str, value: ast.expr, scope: _Scope, line: int) -> None:
        if isinstance(value, ast.Call):
            callee = self._dotted(value.func, scope)
            if callee in _IMPORTERS and value.args:
                mod = self._literal(value.args[0], scope)
                if mod:
                    self._bind(name, mod, line, f"{callee}({mod!r})")
                return
            if callee is not None:
                scope.instances[name] = callee

    def _module_attribute(self, target: ast.Attribute, value: ast.expr, scope: _Scope) -> None:
        base = self._dotted(target.value, scope)
        if base is None:
            return
        attrs = self.cat.python.module_endpoint_attributes.get(base, ())
        if target.attr in attrs:
            ref = self._endpoint(value, scope, 0)
            self.module_endpoints[base] = EndpointRef(
                ref.kind, ref.value, ref.env, target.lineno, f"module-attribute {base}.{target.attr}"
            )

    def _environ_set(self, target: ast.Subscript, value: ast.expr, scope: _Scope) -> None:
        if self._dotted(target.value, scope) == "os.environ":
            self._env_literal(target.slice, value, scope, target.lineno)

    def _env_literal(self, key: ast.expr, value: ast.expr, scope: _Scope, line: int) -> None:
        k = self._literal(key, scope)
        v = self._literal(value, scope)
        if k and v is not None:
            self.result.env.append(EnvSet(k, v, line))

    # -- names ---------------------------------------------------------------------
    def _dotted(self, node: ast.expr, scope: _Scope) -> str | None:
        parts: list[str] = []
        depth = 0
        while isinstance(node, ast.Attribute) and depth < 32:
            parts.append(node.attr)
            node = node.value
            depth += 1
        base: str | None
        if isinstance(node, ast.Name):
            binding = self.bindings.get(node.id)
            if binding is not None and not self._shadowed(node.id, scope):
                base = binding.target
            else:
                base = self._instance_type(node.id, scope)
                if base is None:
                    return node.id if node.id in ("os", "environ", "getenv", "__import__", "import_module") else None
        elif isinstance(node, ast.Call):
            base = self._dotted(node.func, scope)
        else:
            return None
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def _shadowed(self, name: str, scope: _Scope) -> bool:
        return scope is not self.module_scope and (name in scope.params or name in scope.assigns)

    def _instance_type(self, name: str, scope: _Scope) -> str | None:
        for s in (scope, self.module_scope):
            if name in s.instances:
                return s.instances[name]
            if name in s.assigns or name in s.params:
                return None
        return None

    def _via_instance(self, func: ast.expr, scope: _Scope) -> bool:
        node = func
        while isinstance(node, ast.Attribute):
            node = node.value
        if isinstance(node, ast.Call):
            return (
                self._dotted(node.func, scope) is not None
                and self._client_spec(self._dotted(node.func, scope) or "") is not None
            )
        return isinstance(node, ast.Name) and node.id not in self.bindings

    # -- values ----------------------------------------------------------------------
    def _literal(self, node: ast.expr, scope: _Scope) -> str | None:
        ref = self._endpoint(node, scope, 0, consume=False)
        return ref.value if ref.kind == "literal" and ref.value and "{?}" not in ref.value else None

    def _lookup(self, name: str, scope: _Scope, line: int) -> tuple[ast.expr | None, str]:
        if scope is not self.module_scope:
            if name in scope.assigns:
                before = [v for ln, v in scope.assigns[name] if ln <= line]
                if before:
                    return before[-1], "assignment"
                return None, "unresolved"
            if name in scope.params:
                return scope.params[name], "parameter-default"
        if name in self.module_scope.assigns:
            values = self.module_scope.assigns[name]
            before = [v for ln, v in values if ln <= line] or [values[-1][1]]
            return before[-1], "constant"
        return None, "unresolved"

    def _endpoint(self, node: ast.expr, scope: _Scope, depth: int, consume: bool = True) -> EndpointRef:
        line = getattr(node, "lineno", None)
        if depth > _MAX_DEPTH:
            return EndpointRef("unresolved", _src(node), line=line)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                if consume:
                    self.consumed.add(id(node))
                return EndpointRef("literal", node.value, line=line)
            if node.value is None:
                return EndpointRef("none", line=line)
            return EndpointRef("unresolved", _src(node), line=line)
        if isinstance(node, ast.Name):
            value, how = self._lookup(node.id, scope, line or 0)
            if value is None:
                return EndpointRef("unresolved", node.id, line=line, via=how)
            inner = self._endpoint(value, scope if how != "constant" else self.module_scope, depth + 1, consume)
            return EndpointRef(inner.kind, inner.value, inner.env, inner.line or line, how)
        if isinstance(node, ast.JoinedStr | ast.BinOp):
            parts = _concat_parts(node)
            if parts is None:
                return EndpointRef("unresolved", _src(node), line=line)
            out = []
            for p in parts:
                ref = self._endpoint(p, scope, depth + 1, consume)
                out.append(ref.value if ref.kind == "literal" and ref.value is not None else "{?}")
            return EndpointRef("literal", "".join(out), line=line)
        if isinstance(node, ast.FormattedValue):
            return self._endpoint(node.value, scope, depth + 1, consume)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) >= 2:
            first = self._endpoint(node.values[0], scope, depth + 1, consume)
            fallback = self._endpoint(node.values[-1], scope, depth + 1, consume)
            if first.kind == "env" and first.value is None and fallback.kind == "literal":
                return EndpointRef("env", fallback.value, first.env, line, first.via)
            return first if first.kind != "none" else fallback
        if isinstance(node, ast.Call):
            name = self._dotted(node.func, scope)
            if name in _ENV_GET and node.args:
                var = self._literal(node.args[0], scope)
                default = None
                if len(node.args) > 1:
                    d = self._endpoint(node.args[1], scope, depth + 1, consume)
                    default = d.value if d.kind == "literal" else None
                for kw in node.keywords:
                    if kw.arg == "default":
                        d = self._endpoint(kw.value, scope, depth + 1, consume)
                        default = d.value if d.kind == "literal" else None
                if var:
                    return EndpointRef("env", default, var, line)
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("rstrip", "strip", "format", "lower"):
                inner = self._endpoint(node.func.value, scope, depth + 1, consume)
                if inner.kind == "literal" and node.func.attr == "format":
                    return EndpointRef("literal", re.sub(r"\{[^{}]*\}", "{?}", inner.value or ""), line=line)
                return inner
            return EndpointRef("unresolved", _src(node), line=line)
        if isinstance(node, ast.Subscript):
            if self._dotted(node.value, scope) == "os.environ":
                var = self._literal(node.slice, scope)
                if var:
                    return EndpointRef("env", None, var, line)
            return EndpointRef("unresolved", _src(node), line=line)
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if isinstance(k, ast.Constant) and k.value in ("base_url", "baseURL", "api_endpoint", "endpoint"):
                    return self._endpoint(v, scope, depth + 1, consume)
            return EndpointRef("none", line=line)
        return EndpointRef("unresolved", _src(node), line=line)

    # -- uses ------------------------------------------------------------------------
    def _client_spec(self, name: str) -> ClientSpec | None:
        last = name.rsplit(".", 1)[-1]
        best: ClientSpec | None = None
        for spec in self.o._by_name.get(last, ()):
            module = spec.symbol.rsplit(".", 1)[0]
            matches = name == spec.symbol or name.startswith(module + ".")
            if matches and (best is None or len(spec.symbol) > len(best.symbol)):
                best = spec
        return best

    def _import_step(self, name: str) -> Step | None:
        root = name.split(".")[0]
        best: _Binding | None = None
        for b in self.bindings.values():
            if name == b.target or name.startswith(b.target + "."):
                if best is None or len(b.target) > len(best.target):
                    best = b
            elif best is None and b.target.split(".")[0] == root:
                best = b
        return Step("import", best.line, best.text) if best else None

    def _client_use(self, call: ast.Call, name: str, scope: _Scope) -> RawUse | None:
        factory = self.o._factories.get(name)
        if factory is not None:
            arg = call.args[factory.arg] if len(call.args) > factory.arg else None
            arg = arg or next((k.value for k in call.keywords if k.arg == factory.keyword), None)
            service = self._literal(arg, scope) if arg is not None else None
            if service not in factory.values:
                return None
            spec = ClientSpec(
                name, factory.provider, "hosted", endpoint_args=factory.endpoint_args, default=factory.default
            )
            return self._use(call, f"{name}({service!r})", spec, scope)
        client = self._client_spec(name)
        if client is None:
            return None
        spec = client
        if spec.mode == "local":
            return RawUse(provider=None, mode="local", via="sdk", symbol=name, line=call.lineno)
        if spec.mode == "router":
            return self._router_use(call, name, spec, scope)
        return self._use(call, name, spec, scope)

    def _kw(self, call: ast.Call, names: tuple[str, ...]) -> ast.keyword | None:
        for n in names:
            for k in call.keywords:
                if k.arg == n:
                    return k
        return None

    def _use(self, call: ast.Call, label: str, spec: ClientSpec, scope: _Scope, provider: str | None = None) -> RawUse:
        chain: list[Step] = []
        imp = self._import_step(label.split("(")[0])
        if imp:
            chain.append(imp)
        chain.append(Step("client", call.lineno, short(_src(call), 100)))
        endpoint: EndpointRef | None = None
        kw = self._kw(call, spec.endpoint_args)
        if kw is not None:
            endpoint = self._endpoint(kw.value, scope, 0)
            if endpoint.kind == "none":
                endpoint = None
        if endpoint is None:
            for k in call.keywords:
                if k.arg in spec.url_args:
                    ref = self._endpoint(k.value, scope, 0)
                    if ref.kind == "literal" and ref.value and "://" in ref.value:
                        endpoint = ref
        opaque = endpoint is None and any(k.arg is None for k in call.keywords)
        if endpoint is not None:
            chain.append(Step("endpoint", endpoint.line, _describe(endpoint)))
        model = None
        if spec.model_arg:
            model = self._literal_arg(call, spec.model_arg, 0, scope)
        else:
            m = self._kw(call, ("model", "model_name", "model_id"))
            model = self._literal(m.value, scope) if m is not None else None
        return RawUse(
            provider=provider or spec.provider,
            mode=spec.mode,
            via="sdk",
            symbol=label,
            line=call.lineno,
            chain=tuple(chain),
            endpoint=endpoint,
            endpoint_env=spec.endpoint_env,
            default=spec.default,
            module=label.split(".")[0],
            model=model,
            opaque_kwargs=opaque,
        )

    def _literal_arg(self, call: ast.Call, keyword: str, position: int, scope: _Scope) -> str | None:
        kw = self._kw(call, (keyword,))
        node = kw.value if kw is not None else (call.args[position] if len(call.args) > position else None)
        return self._literal(node, scope) if node is not None else None

    def _router_use(self, call: ast.Call, name: str, spec: ClientSpec, scope: _Scope) -> RawUse:
        model = self._literal_arg(call, spec.model_arg or "model", 0, scope)
        provider_hint = self._literal_arg(call, spec.provider_arg, 99, scope) if spec.provider_arg else None
        provider, mode, default = route(self.cat, model, provider_hint)
        routed = ClientSpec(name, provider, mode, endpoint_args=spec.endpoint_args, default=default)
        use = self._use(call, name, routed, scope)
        chain = (*use.chain, Step("model", call.lineno, f"model={model!r}" if model else "model: not a literal"))
        return RawUse(**{**use.__dict__, "chain": chain, "model": model, "via": "router"})

    def _module_call_use(self, call: ast.Call, name: str, provider: str, mode: str, module: str) -> RawUse:
        primary = next(
            (
                c
                for c in self.cat.python.clients.values()
                if c.symbol.startswith(module.split(".")[0] + ".") and c.provider == provider
            ),
            None,
        )
        chain: list[Step] = []
        imp = self._import_step(name)
        if imp:
            chain.append(imp)
        chain.append(Step("call", call.lineno, short(_src(call), 100)))
        endpoint = self.module_endpoints.get(module.split(".")[0])
        if endpoint is not None:
            chain.append(Step("endpoint", endpoint.line, _describe(endpoint)))
        return RawUse(
            provider=provider,
            mode=mode,
            via="module-call",
            symbol=name,
            line=call.lineno,
            chain=tuple(chain),
            endpoint=endpoint,
            endpoint_env=primary.endpoint_env if primary else (),
            default=primary.default if primary else None,
            module=module.split(".")[0],
        )


def route(cat: Catalogue, model: str | None, provider_hint: str | None) -> tuple[str | None, str, str | None]:
    """(provider, mode, default endpoint) for a router call from its model string."""
    prefix = provider_hint
    if prefix is None and model:
        for sep in ("/", ":"):
            if sep in model:
                head = model.split(sep, 1)[0]
                if head in cat.litellm_prefixes:
                    prefix = head
                    break
    if prefix is not None:
        target = cat.litellm_prefixes.get(prefix)
        if target == "local":
            return prefix, "compatible", "http://localhost"
        if target is not None:
            return target, "hosted", None
    if model:
        found = cat.model_provider(model.split("/")[-1])
        if found is not None:
            return found, "hosted", None
    return None, "compatible", None


def _concat_parts(node: ast.expr) -> list[ast.expr] | None:
    if isinstance(node, ast.JoinedStr):
        return list(node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _concat_parts(node.left) if isinstance(node.left, ast.BinOp | ast.JoinedStr) else [node.left]
        right = _concat_parts(node.right) if isinstance(node.right, ast.BinOp | ast.JoinedStr) else [node.right]
        if left is None or right is None:
            return None
        return left + right
    return None


def _src(node: ast.AST) -> str:
    try:
        return short(ast.unparse(node), 100)
    except (ValueError, RecursionError, AttributeError):
        return type(node).__name__


def _describe(ref: EndpointRef) -> str:
    if ref.kind == "env":
        return f"${ref.env}" + (f" (default {ref.value})" if ref.value else "")
    if ref.kind == "literal":
        return f"{ref.value} ({ref.via})"
    return f"{ref.value} ({ref.kind})"


def _dedupe(uses: list[RawUse]) -> list[RawUse]:
    seen: set[tuple[str | None, str, int]] = set()
    out = []
    for u in uses:
        key = (u.provider, u.via if u.via != "url" else "url", u.line)
        if key in seen:
            continue
        seen.add(key)
        out.append(u)
    return out


def python_env_sets(result: FileResult) -> Iterator[EnvSet]:
    return iter(result.env)
