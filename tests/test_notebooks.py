"""The notebooks: solutions are stored executed and reproduce their outputs (nbval); the
student lessons run top to bottom (nbval-lax) and are exactly what the build makes of the
solutions; no hidden test leaks into them.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402

SOLUTIONS = sorted((ROOT / "solutions").glob("lesson*.ipynb"))
LESSONS = sorted((ROOT / "lessons").glob("lesson*.ipynb"))


def cells(path: Path, kind: str = "code") -> list[dict]:
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def run_nbval(mode: str, notebook: Path) -> subprocess.CompletedProcess:
    """nbval in a child pytest (it compares outputs only in a run of its own)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", mode,
         "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests/nbval_sanitize.cfg"),
         "-o", "filterwarnings=", "-o", "addopts=", str(notebook)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def test_there_are_lessons_and_each_has_its_student_version():
    assert len(SOLUTIONS) >= 4
    assert [p.name for p in LESSONS] == [p.name for p in SOLUTIONS]


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_is_stored_executed(notebook):
    # nbval checks nothing in a cell without stored outputs: every code cell must have run.
    unexecuted = [c["source"][:60] for c in cells(notebook) if c.get("execution_count") is None]
    assert not unexecuted, f"cells never executed in {notebook.name}: {unexecuted}"


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_reproduces_its_outputs(notebook):
    result = run_nbval("--nbval", notebook)
    assert result.returncode == 0, result.stdout[-6000:]


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.stem)
def test_student_lesson_runs_top_to_bottom(notebook):
    assert all(not c["outputs"] for c in cells(notebook)), "lessons are stored without outputs"
    result = run_nbval("--nbval-lax", notebook)
    assert result.returncode == 0, result.stdout[-6000:]


def test_lessons_are_what_the_build_makes_of_the_solutions(tmp_path):
    (tmp_path / "lessons").mkdir()
    built = course.build(dist=tmp_path / "dist", lessons=tmp_path / "lessons")
    assert [p.name for p in built] == [p.name for p in LESSONS]
    for fresh in built:
        committed = ROOT / "lessons" / fresh.name
        assert fresh.read_text() == committed.read_text(), (
            f"lessons/{fresh.name} is out of date: run `python tools/course.py build`"
        )


def hidden_test_bodies(master: Path) -> list[str]:
    """The function bodies of the tests marked hidden in a master notebook."""
    bodies = []
    for cell in cells(master):
        source = "".join(cell["source"])
        if re.search(r"^\s*hidden:\s*true", source, flags=re.M | re.I):
            body = source.split("# END TEST CONFIG", 1)[-1].strip()
            bodies.append(body)
    return bodies


@pytest.mark.parametrize("master", SOLUTIONS, ids=lambda p: p.stem)
def test_no_hidden_test_text_in_the_lessons(master):
    hidden = hidden_test_bodies(master)
    assert hidden, f"{master.name} has no hidden tests"
    student = (ROOT / "lessons" / master.name).read_text()
    for body in hidden:
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("assert"):
                assert json.dumps(line)[1:-1] not in student, f"hidden test leaked: {line}"


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.stem)
def test_lesson_installs_nnlib_on_colab_before_otter_starts(notebook):
    sources = ["".join(c["source"]) for c in cells(notebook)]
    colab = [i for i, s in enumerate(sources) if 'if "google.colab" in sys.modules' in s]
    otter = [i for i, s in enumerate(sources) if "otter.Notebook(" in s]
    assert len(colab) == 1 and len(otter) == 1
    assert colab[0] < otter[0], "on Colab, otter is only there once the first cell installed it"
