"""The package itself: light to import, NumPy-only, lint-clean."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = [
    "matplotlib",
    "ipywidgets",
    "IPython",
    "jupyter",
    "jupyterlab",
    "torch",
    "sklearn",
    "scipy",
    "pooch",
    "tqdm",
]


def test_import_is_numpy_only_and_fast():
    code = (
        "import sys, time\n"
        "import numpy\n"  # NumPy's own import time is not ours to count
        "t = time.perf_counter(); import nnlib; dt = time.perf_counter() - t\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(dt, heavy)\n"
    )
    times = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, heavy = out.stdout.split(" ", 1)
        assert heavy.strip() == "[]", f"import nnlib pulled in {heavy}"
        times.append(float(seconds))
    assert min(times) < 0.2, f"import nnlib took {min(times):.3f} s"


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(args):
    ruff = shutil.which("ruff")
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run([*cmd, *args, "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_example_runs_and_learns_xor():
    text = (ROOT / "README.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    net, x, t = namespace["net"], namespace["x"], namespace["t"]
    assert ((net(x) > 0) == (t > 0)).all()


def test_viz_and_widgets_load_on_first_use():
    code = (
        "import sys, nnlib\n"
        "assert 'matplotlib' not in sys.modules\n"
        "assert nnlib.viz.__name__ == 'nnlib.viz'\n"
        "assert nnlib.widgets.__name__ == 'nnlib.widgets'\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={**os.environ, "MPLBACKEND": "Agg"}
    )
