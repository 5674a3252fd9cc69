"""Lint the door: views, API endpoints, tasks and template tags must reach protected (marked) models through the
policy (`visible_to`, `get_visible_or_404`) or a selector, never through `Model.objects` directly.

Run: python tools/check_door.py  (exit 1 and one line per offence). The rule keeps its own examples below; the
test suite checks that the bad ones are caught and the good ones are not.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "liaison"
DOORS = ("views.py", "api.py", "tasks.py", "feeds.py")
DOOR_DIRS = ("views", "api", "templatetags", "tasks")
MARKED_BASES = {"MarkedModel"}

EXAMPLES_BAD = [
    "partner = Partner.objects.get(pk=pk)",
    "qs = Partner._default_manager.all()",
    "for p in Partner.objects.filter(zone=zone):",
]
EXAMPLES_GOOD = [
    "partner = partner_get(user=request.user, pk=pk)",
    "partners = visible_to(Partner.objects.all(), request.user)",
    "zones = Zone.objects.all()",
    "# Partner.objects is never used here",
]

_CLASS = re.compile(r"^class\s+(\w+)\(([^)]*)\)", re.MULTILINE)


def protected_models(root: Path = ROOT) -> set[str]:
    """Names of the concrete models that derive (directly or not) from MarkedModel."""
    parents: dict[str, set[str]] = {}
    for path in root.rglob("models*.py"):
        for name, bases in _CLASS.findall(path.read_text()):
            parents[name] = {b.strip().split(".")[-1] for b in bases.split(",")}
    protected: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, bases in parents.items():
            if name not in protected and name not in MARKED_BASES and bases & (MARKED_BASES | protected):
                protected.add(name)
                changed = True
    return protected


def offences_in_line(line: str, models: set[str]) -> list[str]:
    code = line.split("#", 1)[0]
    if "visible_to(" in code:
        return []
    return [m for m in sorted(models) if re.search(rf"\b{m}\.(objects|_default_manager)\b", code)]


def door_files(root: Path = ROOT) -> list[Path]:
    files = [p for p in root.rglob("*.py") if p.name in DOORS or p.name.endswith("_views.py")]
    for directory in DOOR_DIRS:
        files += [p for d in root.rglob(directory) if d.is_dir() for p in d.rglob("*.py")]
    return sorted(p for p in set(files) if not {"tests", "migrations"} & set(p.parts))


def check(root: Path = ROOT) -> list[str]:
    models = protected_models(root)
    problems = []
    for path in door_files(root):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for model in offences_in_line(line, models):
                problems.append(
                    f"{path}:{number}: {model} is protected: use a selector or policy.visible_to, not {model}.objects"
                )
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    print(f"door lint: {len(problems)} offence(s) in {len(door_files())} files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
