"""The house's layers, read from the code's own imports (every `import`/`from` anywhere in a module, functions
included): the kernel imports no other app; the job platform imports only the kernel; the tree and access import
no capability; capabilities never import the apps on top (home, demo); and `meetings.services` and
`meetings.documents` do not import each other. A new import across a layer fails here."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dangvu"
CAPABILITIES = {"members", "meetings", "dossiers", "evaluations", "admission", "inspection", "documents", "congresses"}
TOP = {"home", "demo"}
ALLOWED = {
    "core": set(),
    "jobs": {"core"},
    "organizations": {"core", "accounts", "jobs"},
    "accounts": {"core", "organizations", "jobs"},
    **{c: {"core", "jobs", "organizations", "accounts"} | CAPABILITIES for c in CAPABILITIES},
}


def _imports(path: Path) -> set[str]:
    pkg = path.relative_to(SRC.parent).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(pkg[: len(pkg) - node.level])
                mod = ".".join(base + ([node.module] if node.module else []))
                out |= {mod} | {f"{mod}.{a.name}" for a in node.names}
            elif node.module:
                out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


def _apps_imported(path: Path) -> set[str]:
    return {m.split(".")[1] for m in _imports(path) if m.startswith("dangvu.") and len(m.split(".")) > 1}


def test_each_layer_imports_only_what_lies_below_it():
    wrong = []
    for app, allowed in ALLOWED.items():
        for path in (SRC / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            bad = _apps_imported(path) - allowed - {app}
            if bad:
                wrong.append(f"{path.relative_to(SRC)} imports {sorted(bad)}")
    assert wrong == [], "\n".join(wrong)


def test_templates_load_tags_only_from_what_lies_below_them():
    """A page's `{% load %}` is an import too: the tree's pages may not use a capability's tags."""
    import re

    owner = {lib.stem: lib.parent.parent.name for lib in SRC.glob("*/templatetags/*.py") if lib.stem != "__init__"}
    wrong = []
    for app, allowed in ALLOWED.items():
        for path in (SRC / app).rglob("*.html"):
            for names in re.findall(r"\{%\s*load\s+([^%]+?)\s*%\}", path.read_text(encoding="utf-8")):
                for lib in names.split():
                    if lib in owner and owner[lib] not in allowed | {app}:
                        wrong.append(f"{path.relative_to(SRC)} loads {lib} ({owner[lib]})")
    assert wrong == [], "\n".join(wrong)


def test_meetings_services_and_documents_do_not_import_each_other():
    services = _imports(SRC / "meetings" / "services.py")
    documents = _imports(SRC / "meetings" / "documents.py")
    assert not any(m.startswith("dangvu.meetings.documents") for m in services)
    assert not any(m.startswith("dangvu.meetings.services") for m in documents)


def test_api_paging_limits_are_defined_once():
    defined = [p.relative_to(SRC) for p in SRC.rglob("*.py")
               if "MAX_LIMIT =" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert [str(p) for p in defined] == ["core/api.py"]
