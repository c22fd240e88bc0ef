"""Data flows one way: screens / CLI -> market -> db. The domain and the database layer
never import Textual; the screens, widgets, app and CLI never reach Peewee or the
models themselves."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "oppmarket"
# Modules or packages (every module below them is walked).
DOMAIN_MODULES = [
    "market", "hierarchy", "lifecycle", "policy", "domain", "errors", "text", "config", "matching", "search", "vocabulary",
    "capability", "insights", "release_ledger", "render_insights", "transfer", "demo", "identity", "render",
    "notices", "db", "sshkeys", "faults", "team", "simulate", "simulate_plans", "location", "saved_searches",
    "keymap", "backup", "people", "marketplace_settings", "audit_trail",
]
UI_MODULES = ["app.py", "cli.py", "cli_admin.py", "cli_insights.py", "cli_invite.py", "cli_offers.py", "cli_output.py",
              "cli_searches.py", "cli_simulate.py", "cli_succession.py", "cli_team.py",
              "cli_admin_imports.py", "cli_admin_backup.py", "cli_admin_people.py", "cli_admin_audit.py",
              "cli_admin_taxonomy.py"]
UI_PACKAGES = ["screens", "widgets"]
UI_FORBIDDEN = ("peewee", "playhouse", "oppmarket.db.models")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    """The package a relative import in `path` starts from."""
    return ".".join(path.relative_to(PACKAGE.parent).parent.parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module an import in `source` names (relative ones resolved against
    `package`), including imports inside functions; type-checking-only imports are
    left out, as they never run."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.add(base)
            # `from oppmarket.db import models` imports the submodule too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def names(found: set[str], forbidden: tuple[str, ...]) -> set[str]:
    return {m for m in found if any(m == f or m.startswith(f + ".") for f in forbidden)}


def files_of(name: str) -> list[Path]:
    """A module's file, or every module file of a package."""
    module = PACKAGE / f"{name}.py"
    return [module] if module.exists() else sorted((PACKAGE / name).rglob("*.py"))


def domain_files() -> list[Path]:
    return [path for name in DOMAIN_MODULES for path in files_of(name)]


def ui_files() -> list[Path]:
    files = [PACKAGE / name for name in UI_MODULES if (PACKAGE / name).exists()]
    for folder in UI_PACKAGES:
        files += sorted((PACKAGE / folder).rglob("*.py"))
    return files


def test_the_import_walker_sees_every_form_of_import():
    source = (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "import textual.app as ta\n"
        "from oppmarket.db import models\n"
        "from ..db.models import Employee\n"
        "def later():\n"
        "    import playhouse.migrate\n"
        "if TYPE_CHECKING:\n"
        "    import peewee\n"
    )
    found = imported_modules(source, "oppmarket.screens")
    assert names(found, ("textual",)) == {"textual.app"}
    assert names(found, UI_FORBIDDEN) == {"oppmarket.db.models", "oppmarket.db.models.Employee",
                                          "playhouse.migrate"}


def test_there_is_something_to_check():
    assert {p.relative_to(PACKAGE).as_posix() for p in domain_files()} >= {
        "market/__init__.py", "market/core.py", "market/postings.py", "lifecycle.py", "policy.py", "domain.py",
        "db/models.py"}


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: module_name(p))
def test_domain_and_database_never_import_textual(path):
    found = imported_modules(path.read_text(encoding="utf-8"), package_of(path))
    assert names(found, ("textual",)) == set()


@pytest.mark.parametrize("path", ui_files(), ids=lambda p: module_name(p))
def test_screens_and_cli_never_touch_peewee_or_the_models(path):
    found = imported_modules(path.read_text(encoding="utf-8"), package_of(path))
    assert names(found, UI_FORBIDDEN) == set(), "go through Market instead"


def test_importing_the_domain_loads_no_textual():
    """The same rule at run time, through every import the modules make."""
    modules = [module_name(p) for p in domain_files()]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# The market's aggregates stand on these; none of them is an aggregate.
MARKET_SHARED = ("__init__", "core", "records", "validate", "search_index")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_private_names(source: str) -> set[str]:
    """The private names a module defines: functions, methods, classes, module and
    class attributes, and attributes it assigns on `self`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id == "self"):
            found.add(node.attr)
    return {name for name in found if _private(name)}


def private_names_reached(source: str) -> set[str]:
    """The private names a module reaches through `self._x` or `Market._x`."""
    return {node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "Market") and _private(node.attr)}


def aggregate_trespasses(name: str, modules: dict[str, str]) -> list[str]:
    """What the aggregate module `name` takes from another aggregate of the market
    (`modules` maps each module's stem to its source): an import of that module, or a
    private name that module defines and neither `name` itself nor a shared module
    does. Calling another aggregate's public method through `self` is fine."""
    package = "oppmarket.market"
    others = [m for m in modules if m not in MARKET_SHARED and m != name]
    found = [f"imports {imported}" for imported in sorted(imported_modules(modules[name], package))
             for other in others if imported == f"{package}.{other}" or imported.startswith(f"{package}.{other}.")]
    allowed = defined_private_names(modules[name]).union(
        *(defined_private_names(modules[m]) for m in MARKET_SHARED if m in modules))
    owners = {private: other for other in others for private in defined_private_names(modules[other])}
    found += [f"uses {private} of {owners[private]}" for private in sorted(private_names_reached(modules[name]))
              if private not in allowed and private in owners]
    return found


def market_modules() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((PACKAGE / "market").glob("*.py"))}


def test_the_aggregate_check_sees_a_trespass():
    modules = {
        "core": "class MarketCore:\n    def _tx(self): ...\n",
        "postings": "class PostingsMixin:\n    def _transition(self): ...\n    def opportunity(self): ...\n",
        "applications": (
            "from oppmarket.market import postings\n"
            "from .postings import PostingsMixin\n"
            "class ApplicationsMixin:\n"
            "    def _own(self): ...\n"
            "    def apply(self):\n"
            "        self._tx(); self._own(); self.opportunity()\n"
            "        self._transition()\n"
            "        return Market._transition\n"
        ),
    }
    assert aggregate_trespasses("applications", modules) == [
        "imports oppmarket.market.postings", "imports oppmarket.market.postings.PostingsMixin",
        "uses _transition of postings"]
    assert aggregate_trespasses("postings", modules) == []


def test_the_market_has_aggregates_to_check():
    assert set(market_modules()) - set(MARKET_SHARED) >= {
        "profiles", "postings", "applications", "releases", "completion", "inbox", "discovery", "admin"}


@pytest.mark.parametrize("name", sorted(set(market_modules()) - set(MARKET_SHARED)))
def test_an_aggregate_takes_nothing_private_from_another(name):
    """An aggregate of the market may use the core, the converters, validation, the
    search index and its own names, and another aggregate only through its public
    methods on `self`."""
    assert aggregate_trespasses(name, market_modules()) == []


def test_no_two_aggregates_define_the_same_name():
    """The market is one class made of the aggregates: a name two of them define is
    silently the first one's for both (Python's method order), so each name lives in
    one aggregate or the core."""
    from oppmarket.market import Market

    owners: dict[str, list[str]] = {}
    for mixin in Market.__mro__[1:]:
        if mixin.__module__.startswith("oppmarket.market.") and mixin.__name__ != "MarketCore":
            for attr in vars(mixin):
                if not attr.startswith("__"):
                    owners.setdefault(attr, []).append(mixin.__name__)
    assert {attr: who for attr, who in owners.items() if len(who) > 1} == {}


# Status words with no other meaning in the code ("open" and "active" also name a key
# binding and a person's flag, so they are left to review).
STATUS_WORD = re.compile(r"""["'](applied|shortlisted|offered|withdrawn|declined|release_declined|draft|closed"""
                         r"""|completed|cancelled)["']""")


def spelled_statuses(source: str) -> list[str]:
    return [f"line {number}: {line.strip()}" for number, line in enumerate(source.splitlines(), start=1)
            if STATUS_WORD.search(line)]


def test_the_status_check_sees_a_spelled_status():
    assert spelled_statuses('if app.status == "shortlisted":\n    pass\n') == [
        'line 1: if app.status == "shortlisted":']
    assert spelled_statuses("if app.status == AppStatus.SHORTLISTED:\n") == []


@pytest.mark.parametrize("path", [p for p in sorted(PACKAGE.rglob("*.py"))
                                  if p.relative_to(PACKAGE).parts[0] not in ("db", "lifecycle.py")],
                         ids=lambda p: module_name(p))
def test_statuses_are_spelled_only_in_lifecycle(path):
    assert spelled_statuses(path.read_text(encoding="utf-8")) == [], "use lifecycle.AppStatus / OppStatus"
