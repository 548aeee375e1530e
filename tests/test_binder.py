"""Binder's environment, rebuilt from binder/ alone in a fresh virtual environment, runs a lesson.

Binder itself builds a Docker image (not available here); this does what its Python build pack
does — install runtime's Python packages from requirements.txt, then run postBuild — in a
virtual environment, from a copy of the repository, and executes a student lesson there.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = "lesson01_neuron.ipynb"


def folder_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def test_binder_environment_runs_a_lesson(tmp_path):
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}", (
        f"binder/runtime.txt asks for {runtime}; this check runs on Python {sys.version}"
    )
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        ".git", "dist", "artifacts", "build", "*.egg-info", "__pycache__", ".*cache*"))  # fmt: skip
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter" / "config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter" / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter" / "runtime"),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "MPLBACKEND": "Agg",
    }
    start = time.perf_counter()
    subprocess.run(
        ["python", "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
        cwd=repo, env=env, check=True,
    )  # fmt: skip
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True)
    install_seconds = time.perf_counter() - start

    # nnlib comes from the copy, installed by postBuild, not from the test environment.
    where = subprocess.run(
        ["python", "-c", "import nnlib, sys; print(nnlib.__file__); print(sys.prefix)"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert where[0].startswith(str(venv)) and where[1] == str(venv)

    executed = tmp_path / "executed.ipynb"
    subprocess.run(
        ["jupyter", "nbconvert", "--to", "notebook", "--execute", f"lessons/{LESSON}",
         "--output", str(executed), "--ExecutePreprocessor.timeout=300"],
        cwd=repo, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert executed.exists()
    print(
        f"\nbinder environment: {folder_size_mb(venv):.0f} MB, installed in "
        f"{install_seconds:.0f} s; {LESSON} ran in it"
    )
