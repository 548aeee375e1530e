"""The cost of one slider update in each explorer of nnlib.widgets (no browser).

For every explorer, the median time of a slider change as a student makes it, split in two:
"compute" is the control's handler with rendering switched off (the model's numbers and the
artists' data: what the ≤ 30 ms budget is about), "render" is ``view.refresh()`` (drawing the
figure into the PNG the browser shows), and "total" is the handler as it runs in a notebook.
The universal approximator is measured at N = 100 units, and the playground also by one
animation frame (``step()``: a few training steps and the artists' update, no render).

Usage: python bench/widgets.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import statistics
import time

import ipywidgets as widgets
from _common import environment

import nnlib.widgets as nw


def slider_values(control):
    """Two values inside a slider's range to alternate between."""
    low, high = control.min, control.max
    return low + 0.3 * (high - low), low + 0.6 * (high - low)


def first_slider(explorer, preferred=()):
    for name in preferred:
        if name in explorer.controls:
            return name
    for name, control in explorer.controls.items():
        if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
            return name
    raise LookupError(f"{type(explorer).__name__} has no slider")


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure(name, explorer, repeats, slider=None):
    slider = slider or first_slider(explorer)
    control = explorer.controls[slider]
    a, b = slider_values(control)
    if isinstance(control, widgets.IntSlider):
        a, b = int(a), int(b)
    flip = [a, b]

    def move():
        control.value = flip[0]
        flip.reverse()

    move()  # warm-up (the first render lays the figure out)
    refresh = explorer.view.refresh
    explorer.view.refresh = lambda: None
    try:
        compute = median_ms(move, repeats)
    finally:
        explorer.view.refresh = refresh
    render = median_ms(refresh, repeats)
    total = median_ms(move, repeats)
    print(f"  {name:<34} compute {compute:6.1f} ms   render {render:6.1f} ms   "
          f"total {total:6.1f} ms   (slider '{slider}')")  # fmt: skip
    return compute


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(environment())
    print("median over", args.repeats, "repeats")
    cases = [
        ("NeuronExplorer", nw.NeuronExplorer(), None),
        ("ActivationExplorer", nw.ActivationExplorer(), None),
        ("FeatureMap", nw.FeatureMap(), None),
        ("UniversalApproximator (N = 100)", nw.UniversalApproximator(), "steepness"),
        ("BackpropStepper", nw.BackpropStepper(), None),
        ("Playground", nw.Playground(), None),
    ]
    for name, explorer, slider in cases:
        if name == "UniversalApproximator (N = 100)":
            explorer.controls["units"].value = 100
        measure(name, explorer, args.repeats, slider)
    playground = cases[-1][1]
    frame = median_ms(playground.step, args.repeats)
    print(f"  {'Playground frame (step())':<34} {frame:6.1f} ms (training steps + artist update)")


if __name__ == "__main__":
    main()
