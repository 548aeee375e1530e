"""Fixtures for the browser test: a private JupyterLab server and Debian's Chromium.

The server runs on 127.0.0.1 at a free port, without token or password, on a temporary copy of
this folder; every Jupyter, IPython and matplotlib directory it could write to points into a
temporary directory, so the test neither reads nor changes the user's settings. Chromium is the
system one (``apt-get install chromium``, as ``.ci/run`` does), driven by Playwright; the test
never downloads a browser (no ``playwright install``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parent.parent
# Kept on disk after the run (git-ignored), for CI to collect.
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 90  # a cold start on 2 CI cores imports a lot (jupyterlab, lsp, ...)


def pytest_generate_tests(metafunc):
    # One test per explorer of the demo notebook, named after it.
    if "explorer_index" in metafunc.fixturenames:
        names = demo_explorers()
        metafunc.parametrize("explorer_index", range(len(names)), ids=names)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """A running ``jupyter lab`` process: ``url`` (ends with /), ``root`` and ``log`` paths."""

    def __init__(self, root: Path, home: Path):
        self.root, self.home = root, home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = home / "jupyter.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
        }
        for name, sub in dirs.items():
            (self.home / sub).mkdir(parents=True, exist_ok=True)
            env[name] = str(self.home / sub)
        # JUPYTER_PATH is left as it is: ipywidgets' labextension lives in
        # sys.prefix/share/jupyter/labextensions, which Jupyter searches by default.
        env.pop("JUPYTER_TOKEN", None)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def write_lab_settings(self) -> None:
        """JupyterLab settings for an unattended run: no news or update checks (they would
        pop up a notification and reach for the network), no kernel selection dialog."""
        settings = self.home / "config" / "lab" / "user-settings" / "@jupyterlab"
        notification = settings / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        # Start the notebook's kernel on opening instead of asking "Select Kernel".
        tracker = settings / "notebook-extension" / "tracker.jupyterlab-settings"
        tracker.parent.mkdir(parents=True, exist_ok=True)
        tracker.write_text(json.dumps({"autoStartDefaultKernel": True}))

    def start(self) -> None:
        self.write_lab_settings()
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with code {self.process.returncode} before it "
                    f"answered; its log:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url + "api/status", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(
            f"jupyter lab did not answer {self.url}api/status within {SERVER_START_SECONDS} s; "
            f"its log:\n{self.log_tail()}"
        )

    def api(self, method: str, path: str):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        """Shut the kernels down through the API (so none outlives the server), then stop the
        server by its PID: terminate, and kill it if it has not exited after 15 s."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            for kernel in self.api("GET", "api/kernels"):
                self.api("DELETE", f"api/kernels/{kernel['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass  # the server stops its kernels on terminate too
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    """JupyterLab serving a temporary copy of tests/browser (the demo notebook)."""
    home = tmp_path_factory.mktemp("jupyter-home")
    root = tmp_path_factory.mktemp("jupyter-root") / "notebooks"
    shutil.copytree(HERE, root, ignore=shutil.ignore_patterns("__pycache__", "*.py", ".*"))
    server = JupyterServer(root, home)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, launched by Playwright with a fresh temporary profile."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser test needs Debian's chromium "
            "(apt-get install -y chromium, as .ci/run does)",
            pytrace=False,
        )
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()  # the folder shows this run only
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so that a fixture can tell a failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    """After a failing test that used the ``lab`` page, save a screenshot of the whole page."""
    lab = request.getfixturevalue("lab") if "lab" in request.fixturenames else None
    yield
    report = getattr(request.node, "report_call", None)
    if lab is not None and report is not None and report.failed and not lab.page.is_closed():
        name = re.sub(r"[^\w-]", "_", request.node.name)
        try:
            print(f"screenshot of the failure: {lab.screenshot(f'FAILED-{name}.png')}")
        except Exception as exc:  # the screenshot must not hide the real failure
            print(f"could not take a screenshot of the failure: {exc}")


# -- the demo notebook open in JupyterLab, every cell run ---------------------------------------
DEMO = "widgets_demo.ipynb"
KERNEL_SECONDS = 90  # kernel start (10-20 s on a cold CI machine) and the first imports
RUN_ALL_SECONDS = 180  # every explorer built and rendered once


class Lab:
    """The page showing the demo notebook after "Run All Cells", and what the browser said."""

    def __init__(self, page):
        self.page = page
        self.console: list[dict] = []  # every console message: type, text, url
        self.page_errors: list[str] = []  # uncaught exceptions in the page
        self.timings: dict[str, float] = {}
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_console(self, message) -> None:
        self.console.append(
            {"type": message.type, "text": message.text, "url": message.location.get("url", "")}
        )

    def screenshot(self, name: str, element=None) -> Path:
        """Save the whole page (or just ``element``) as artifacts/screenshots/``name``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        if element is None:
            self.page.screenshot(path=path, full_page=True)
        else:
            element.screenshot(path=path)
        return path

    @staticmethod
    def artifact(name: str) -> Path:
        """A path under artifacts/ (kept on disk for CI, ignored by git)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        return ARTIFACTS / name


def demo_code_cells() -> list[str]:
    """The sources of the demo notebook's code cells."""
    cells = json.loads((HERE / DEMO).read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def demo_explorers() -> list[str]:
    """The explorers the demo notebook opens, one per cell such as ``nw.Playground()``."""
    calls = (re.match(r"\s*nw\.(\w+)\(", source) for source in demo_code_cells())
    return [call[1] for call in calls if call]


def wait_for_idle_kernel(server: JupyterServer, lab: Lab, seconds: float) -> None:
    """Wait until the notebook's kernel exists and is idle, as the server and the page see it."""
    deadline = time.monotonic() + seconds
    while True:
        sessions = server.api("GET", "api/sessions")
        states = [s["kernel"]["execution_state"] for s in sessions if s.get("kernel")]
        if states == ["idle"]:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"no idle kernel after {seconds} s (kernel states: {states})")
        time.sleep(0.2)
    # The toolbar's execution indicator follows the kernel's status messages.
    lab.page.locator(
        '.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]'
    ).wait_for(state="attached", timeout=seconds * 1000)


def open_and_run_all(lab: Lab, server: JupyterServer, n_explorers: int) -> None:
    page = lab.page
    start = time.monotonic()
    page.goto(server.url + f"lab/tree/{DEMO}?reset", wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=60_000)
    wait_for_idle_kernel(server, lab, KERNEL_SECONDS)
    lab.timings["kernel_ready_s"] = time.monotonic() - start

    start = time.monotonic()
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item:visible", has_text="Run All Cells").first.click()
    n_code = len(demo_code_cells())
    page.wait_for_function(
        """n => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
            return prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=n_code,
        timeout=RUN_ALL_SECONDS * 1000,
    )
    wait_for_idle_kernel(server, lab, RUN_ALL_SECONDS)
    explorers = page.locator(".nnlib-explorer")
    page.wait_for_function(
        "n => document.querySelectorAll('.nnlib-explorer').length >= n",
        arg=n_explorers,
        timeout=60_000,
    )
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed(timeout=30_000)
        figure = explorer.locator("img.nnlib-figure, .nnlib-figure img").first
        figure.wait_for(timeout=60_000)
        figure.evaluate(
            """img => new Promise((resolve, reject) => {
                const loaded = () => img.src && img.complete && img.naturalWidth > 0;
                const started = performance.now();
                (function poll() {
                    if (loaded()) resolve();
                    else if (performance.now() - started > 60000)
                        reject(new Error('the figure image did not load: src=' + img.src));
                    else setTimeout(poll, 50);
                })();
            })"""
        )
    lab.timings["run_all_s"] = time.monotonic() - start


@pytest.fixture(scope="module")
def lab(jupyter_server, browser):
    """The demo notebook in JupyterLab with every cell run and every explorer's figure shown."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(30_000)
    lab = Lab(page)
    lab.explorers = demo_explorers()
    try:
        open_and_run_all(lab, jupyter_server, len(lab.explorers))
    except Exception:
        path = lab.screenshot("FAILED-open-and-run-all.png")
        print(f"screenshot: {path}\njupyter log:\n{jupyter_server.log_tail()}")
        context.close()
        raise
    yield lab
    context.close()
