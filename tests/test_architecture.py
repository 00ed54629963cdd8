"""docs/architecture.md names every Python module of the project, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("config", "nominations", "workflow")
NAMED = re.compile(r"(?<![\w/*.])((?:" + "|".join(PACKAGES) + r")/[\w/]+\.py)\b")


def modules() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or path.name == "__init__.py":
                continue
            found.add(relative.as_posix())
    return found


def named_in_doc() -> set[str]:
    return set(NAMED.findall(DOC.read_text(encoding="utf-8")))


def test_every_module_is_named_in_the_architecture_doc() -> None:
    missing = sorted(modules() - named_in_doc())
    assert not missing, f"docs/architecture.md does not name: {', '.join(missing)}"


def test_the_architecture_doc_names_no_module_that_does_not_exist() -> None:
    gone = sorted(p for p in named_in_doc() if not (ROOT / p).is_file())
    assert not gone, f"docs/architecture.md names modules that do not exist: {', '.join(gone)}"


def test_the_doc_names_many_modules() -> None:
    # the pattern itself works: it finds the modules of the table (a broken regex would pass the two above
    # only if it found nothing and there were no modules)
    assert len(named_in_doc()) >= len(modules()) > 100
