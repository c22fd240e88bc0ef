"""Every stored SVG belongs to a snapshot test. Run alone, the snapshot plugin fails
a run that leaves a stored snapshot unused; on pytest-xdist workers it cannot tell,
so a renamed or deleted test would leave its old SVG behind unnoticed."""

import ast
from pathlib import Path

HERE = Path(__file__).parent


def snapshot_tests(module: Path) -> set[str]:
    """The names of the test functions of `module` that compare a snapshot."""
    tree = ast.parse(module.read_text())
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            and "snap_compare" in [arg.arg for arg in node.args.args]}


def test_every_stored_svg_has_its_test():
    stored = {(svg.parent.name, svg.stem) for svg in (HERE / "__snapshots__").glob("*/*.svg")}
    tested = {(module.stem, name) for module in HERE.glob("test_*.py") for name in snapshot_tests(module)}
    assert stored - tested == set()
    assert stored  # the folder is where this test looks
