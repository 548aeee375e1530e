"""Small builders shared by the explorers: labelled sliders, the status line, the layout.

Every explorer puts its controls above its figure and one line of HTML below it for messages
("the loss went up: lower the learning rate"); building them here keeps the explorers alike.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

__all__ = ["assemble", "show_status", "slider", "status_line"]

_STYLE = {"description_width": "initial"}  # labels such as "learning rate" are not cut off
_STATUS_COLORS = {"info": "#333", "warning": "#b35900", "error": "#b00020"}


def slider(
    label: str, value: float, low: float, high: float, step: float, fmt: str = ".2f"
) -> widgets.FloatSlider:
    """A bounded float slider with a visible label: the bounds make invalid settings impossible.

    ``continuous_update=False`` sends one change when the mouse is released, so a projected
    figure is not asked to redraw faster than it can.
    """
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label,
        readout_format=fmt,
        continuous_update=False,
        style=_STYLE,
        layout=widgets.Layout(width="260px"),
    )


def status_line() -> widgets.HTML:
    """The one-line HTML status under the figure (messages, warnings, readouts)."""
    return widgets.HTML(value="", layout=widgets.Layout(min_height="1.6em"))


def show_status(status: widgets.HTML, text: str, kind: str = "info") -> None:
    """Write plain ``text`` into the status line; kind is "info", "warning" or "error"."""
    color = _STATUS_COLORS[kind]
    status.value = f'<span style="color:{color}">{html.escape(text)}</span>'


def assemble(short_name: str, control_rows, image: widgets.Image, status: widgets.HTML):
    """Rows of controls, then the figure, then the status line, with the CSS classes the
    browser test looks for (``nnlib-explorer``, ``nnlib-<short_name>``, ``nnlib-figure``)."""
    rows = [widgets.HBox(list(row)) for row in control_rows]
    image.add_class("nnlib-figure")
    box = widgets.VBox([*rows, image, status])
    box.add_class("nnlib-explorer")
    box.add_class(f"nnlib-{short_name}")
    return box
