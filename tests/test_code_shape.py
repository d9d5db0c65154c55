"""The shape the code keeps: short service functions, and layers that only look down.

Working groups, tasks, outcomes and the ladder will be written after what is here; these
checks keep what they copy readable, and keep the layers from knotting into cycles.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "backend" / "services"
MAX_FUNCTION_LINES = 50


@dataclass(frozen=True)
class Layer:
    name: str
    height: int
    modules: tuple[str, ...]


# Bottom to top. A module may import its own layer and those below it; layers of the same
# height sit side by side and do not import each other (the web API and the workers both
# call services, never one another).
LAYERS = (
    Layer("models", 0, ("backend.models",)),
    Layer(
        "foundations",
        1,
        (
            "backend",
            "backend.clock",
            "backend.data_lock",
            "backend.db",
            "backend.embedded_redis",
            "backend.errors",
            "backend.headers",
            "backend.ids",
            "backend.links",
            "backend.mail",
            "backend.middleware",
            "backend.migrations",
            "backend.operations",
            "backend.queue",
            "backend.request_size",
            "backend.requests",
            "backend.retrying",
            "backend.settings",
        ),
    ),
    Layer("auth", 2, ("backend.auth",)),
    Layer("services", 3, ("backend.services",)),
    Layer("api", 4, ("backend.api",)),
    Layer("workers", 4, ("workers",)),
    # Demo data is made the way people make it: through the services.
    Layer(
        "demo data",
        4,
        (
            "backend.demo",
            "backend.demo_answers",
            "backend.demo_groups",
            "backend.demo_ladder",
            "backend.demo_people",
            "backend.demo_tasks",
        ),
    ),
    Layer("entry points", 5, ("backend.app", "backend.cli")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules() -> dict[str, Path]:
    paths = [*(ROOT / "backend").rglob("*.py"), *(ROOT / "workers").rglob("*.py")]
    return {module_name(path): path for path in sorted(paths)}


def layer_of(module: str) -> Layer | None:
    """The layer of the longest prefix naming the module or a package holding it."""
    owners = [
        (len(prefix), layer)
        for layer in LAYERS
        for prefix in layer.modules
        if module == prefix or module.startswith(f"{prefix}.")
    ]
    return max(owners, key=lambda owner: owner[0])[1] if owners else None


def imported_modules(module: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """Every first-party module the file imports, at any depth (in functions, under
    TYPE_CHECKING), with its line: `from package import module` names the module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append((node.lineno, submodule if submodule in known else base))
    return [(line, name) for line, name in found if name.split(".")[0] in ("backend", "workers")]


def test_every_module_has_a_layer() -> None:
    unplaced = [module for module in source_modules() if layer_of(module) is None]
    assert unplaced == [], f"place these modules in a layer in {Path(__file__).name}: {unplaced}"


def test_no_module_imports_a_layer_above_or_beside_it() -> None:
    modules = source_modules()
    wrong: list[str] = []
    for module, path in modules.items():
        importer = layer_of(module)
        assert importer is not None
        for line, imported in imported_modules(module, path, set(modules)):
            target = layer_of(imported)
            if target is None or target == importer or target.height < importer.height:
                continue
            where = "above" if target.height > importer.height else "beside"
            wrong.append(
                f"{path.relative_to(ROOT)}:{line} {module} ({importer.name}) imports {imported} "
                f"({target.name}, a layer {where} it)"
            )
    assert wrong == [], "\n".join(wrong)


def test_no_service_function_is_longer_than_fifty_lines() -> None:
    long: list[str] = []
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} is {length} lines")
    advice = f"split these into functions of at most {MAX_FUNCTION_LINES} lines"
    assert long == [], "\n".join([advice, *long])
