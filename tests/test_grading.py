"""Grading with otter-grader, offline (`otter run`): the solutions score full marks, untouched
lessons score zero, and each deliberately wrong answer (tests/grading/wrong_answers/) loses
points on its question.
"""

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402

MASTERS = sorted((ROOT / "solutions").glob("lesson*.ipynb"))
WRONG = ROOT / "tests" / "grading" / "wrong_answers"


def wrong_answers():
    for master in MASTERS:
        for i, case in enumerate(json.loads((WRONG / f"{master.stem}.json").read_text())):
            yield pytest.param(master.stem, case, id=f"{master.stem}-{i}-{case['question']}")


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """otter assign every master notebook once: {lesson: output folder}."""
    dist = tmp_path_factory.mktemp("dist")
    return {master.stem: course.assign(master, dist) for master in MASTERS}


def solved_notebook(bundles, lesson) -> Path:
    return bundles[lesson] / "autograder" / f"{lesson}.ipynb"


@pytest.fixture(scope="module")
def solution_scores(bundles):
    """The solutions' scores, graded once per lesson (each otter run takes ~10 s)."""
    cache = {}

    def scores(lesson):
        if lesson not in cache:
            zip_path = course.autograder_zip(bundles[lesson])
            cache[lesson] = course.grade_one(solved_notebook(bundles, lesson), zip_path)
        return cache[lesson]

    return scores


@pytest.mark.parametrize("lesson", [m.stem for m in MASTERS])
def test_solution_scores_full_marks(solution_scores, lesson):
    scores = solution_scores(lesson)
    assert scores["max"] > 0
    assert scores["total"] == scores["max"], scores


@pytest.mark.parametrize("lesson", [m.stem for m in MASTERS])
def test_untouched_lesson_scores_zero(bundles, lesson):
    scores = course.grade_one(
        ROOT / "lessons" / f"{lesson}.ipynb", course.autograder_zip(bundles[lesson])
    )
    questions = {k: v for k, v in scores.items() if k not in ("total", "max")}
    assert len(questions) >= 4, f"{lesson} has fewer than four exercises: {sorted(questions)}"
    assert scores["total"] == 0, scores


@pytest.mark.parametrize("lesson", [m.stem for m in MASTERS])
def test_at_least_three_wrong_answers_per_lesson(lesson):
    assert len(json.loads((WRONG / f"{lesson}.json").read_text())) >= 3


@pytest.mark.parametrize(("lesson", "case"), list(wrong_answers()))
def test_a_wrong_answer_loses_points(bundles, solution_scores, lesson, case, tmp_path):
    nb = json.loads(solved_notebook(bundles, lesson).read_text())
    targets = [
        c for c in nb["cells"]
        if c["cell_type"] == "code" and "".join(c["source"]).lstrip().startswith(case["find"])
    ]  # fmt: skip
    assert len(targets) == 1, f"'find' must pick exactly one cell, it picks {len(targets)}"
    targets[0]["source"] = case["replace"]
    submission = tmp_path / f"{lesson}.ipynb"
    submission.write_text(json.dumps(nb))
    full = solution_scores(lesson)
    scores = course.grade_one(submission, course.autograder_zip(bundles[lesson]))
    assert scores[case["question"]] < full[case["question"]], (case["mistake"], scores)


def test_grade_command_makes_a_table(bundles, tmp_path, capsys):
    lesson = MASTERS[0].stem
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    shutil.copy(solved_notebook(bundles, lesson), submissions / f"{lesson}-alice.ipynb")
    shutil.copy(ROOT / "lessons" / f"{lesson}.ipynb", submissions / f"{lesson}-bob.ipynb")
    (submissions / "notes.ipynb").write_text("{}")  # belongs to no lesson: skipped
    table = tmp_path / "scores.csv"
    dist = bundles[lesson].parent
    assert course.main(["grade", str(submissions), "--dist", str(dist), "--out", str(table)]) == 0
    with table.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["submission"] for r in rows] == [f"{lesson}-alice.ipynb", f"{lesson}-bob.ipynb"]
    assert float(rows[0]["total"]) == float(rows[0]["max"]) > 0 and float(rows[1]["total"]) == 0
    printed = capsys.readouterr()
    assert "alice" in printed.out and "notes.ipynb" in printed.err
