"""Build the student lessons from the master notebooks, and grade submissions offline.

    python tools/course.py build            # solutions/*.ipynb -> lessons/ (+ dist/ bundles)
    python tools/course.py grade SUBMISSIONS [--out scores.csv]

``build`` runs ``otter assign`` on every master notebook in ``solutions/``: the student notebook
(solutions replaced by placeholders, public checks only, no outputs) goes to ``lessons/``, and
the autograder bundle (all tests, hidden ones included) to ``dist/<lesson>/``, which git ignores.
``grade`` runs ``otter run`` (no Docker) on every notebook in SUBMISSIONS against the bundle of
the lesson it belongs to, and prints a table of scores (and writes it as CSV with ``--out``).
A submission belongs to the lesson whose name its file name starts with
(``lesson01_neuron-alice.ipynb`` is graded as lesson01_neuron).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS, LESSONS, DIST = ROOT / "solutions", ROOT / "lessons", ROOT / "dist"


def masters() -> list[Path]:
    return sorted(SOLUTIONS.glob("lesson*.ipynb"))


def assign(master: Path, dist: Path = DIST) -> Path:
    """Run otter assign on one master notebook; return the output folder dist/<lesson>/."""
    out = dist / master.stem
    shutil.rmtree(out, ignore_errors=True)
    # run_tests is switched off here: the test suite checks the solutions' scores itself.
    subprocess.run(
        ["otter", "assign", "--no-run-tests", str(master), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def student_notebook(out: Path, stem: str) -> Path:
    return out / "student" / f"{stem}.ipynb"


def autograder_zip(out: Path) -> Path:
    (zip_path,) = (out / "autograder").glob("*.zip")
    return zip_path


def normalise_student(path: Path) -> str:
    """The student notebook as committed: no outputs, no execution counts, stable JSON.

    otter puts its ``import otter`` cell first; on Colab otter is only installed by the
    lesson's own first cell, so that cell moves to just after it.
    """
    nb = json.loads(path.read_text())
    sources = ["".join(c["source"]) for c in nb["cells"]]
    init = next((i for i, s in enumerate(sources) if "otter.Notebook(" in s), None)
    colab = next((i for i, s in enumerate(sources) if "google.colab" in s), None)
    if init is not None and colab is not None and init < colab:
        nb["cells"].insert(colab, nb["cells"].pop(init))
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{i:03d}"  # otter gives new cells random ids; these are stable
        cell["metadata"].pop("execution", None)  # timestamps of the master's last run
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def build(dist: Path = DIST, lessons: Path = LESSONS) -> list[Path]:
    """Rebuild every student notebook into ``lessons`` and every bundle into ``dist``."""
    written = []
    for master in masters():
        out = assign(master, dist)
        target = lessons / master.name
        target.write_text(normalise_student(student_notebook(out, master.stem)))
        written.append(target)
        print(f"{master.name}: lessons/{target.name}, bundle {autograder_zip(out).name}")
    return written


def grade_one(notebook: Path, zip_path: Path) -> dict[str, float]:
    """Scores of one submitted notebook: {question: points, ..., "total": points, "max": points}."""
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / notebook.name
        shutil.copy(notebook, sub)
        subprocess.run(
            ["otter", "run", "-a", str(zip_path), "-o", tmp, str(sub)],
            check=True,
            capture_output=True,
            text=True,
        )
        results = json.loads((Path(tmp) / "results.json").read_text())
    # otter writes Gradescope's format: one entry per question with its score and maximum,
    # plus summary entries (e.g. "Public Tests") without a score.
    questions = [t for t in results["tests"] if "score" in t]
    scores = {t["name"]: float(t["score"]) for t in questions}
    scores["total"] = sum(scores.values())
    scores["max"] = sum(float(t["max_score"]) for t in questions)
    return scores


def grade(submissions: Path, dist: Path = DIST) -> list[dict]:
    """Grade every notebook under ``submissions``; build missing bundles first."""
    bundles = {}
    rows = []
    for notebook in sorted(submissions.glob("*.ipynb")):
        lesson = next((m.stem for m in masters() if notebook.stem.startswith(m.stem)), None)
        if lesson is None:
            print(
                f"skipped {notebook.name}: its name starts with no lesson's name", file=sys.stderr
            )
            continue
        if lesson not in bundles:
            out = dist / lesson
            if not (out / "autograder").exists():
                assign(SOLUTIONS / f"{lesson}.ipynb", dist)
            bundles[lesson] = autograder_zip(out)
        rows.append(
            {"submission": notebook.name, "lesson": lesson, **grade_one(notebook, bundles[lesson])}
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="rebuild lessons/ and dist/ from solutions/")
    grading = commands.add_parser("grade", help="grade a folder of submitted notebooks")
    grading.add_argument("submissions", type=Path)
    grading.add_argument("--out", type=Path, help="also write the table as CSV")
    grading.add_argument(
        "--dist", type=Path, default=DIST, help="where the bundles are (built if missing)"
    )
    args = parser.parse_args(argv)
    if args.command == "build":
        build()
        return 0
    rows = grade(args.submissions, dist=args.dist)
    columns = sorted({k for row in rows for k in row} - {"submission", "lesson", "total", "max"})
    header = ["submission", "lesson", *columns, "total", "max"]
    print("\t".join(header))
    for row in rows:
        print("\t".join(str(row.get(k, "")) for k in header))
    if args.out:
        with args.out.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
