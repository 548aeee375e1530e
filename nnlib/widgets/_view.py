"""The view half of every explorer: a matplotlib figure shown as an image widget.

Each explorer keeps a plain-Python model (state in, numbers out, computed with nnlib) and a
view. The view draws its artists once and afterwards only changes their data (``set_data``,
``set_array``, ``set_offsets``); ``refresh()`` then renders the figure off-screen (Agg) into the
PNG bytes of an ``ipywidgets.Image``. That works wherever ipywidgets does — JupyterLab, Binder,
Colab, VS Code — with no matplotlib front-end extension, and a test can read the artists.
"""

from __future__ import annotations

import io
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["FigureView"]


class FigureView:
    """A matplotlib Figure (not managed by pyplot) rendered into ``self.image`` on refresh.

    Args:
        ncols, nrows: subplot grid.   figsize: inches.   dpi: pixels per inch of the PNG.

    Attributes:
        figure, axes (a list), image (ipywidgets.Image), render_seconds (last refresh).
    """

    def __init__(self, ncols: int = 1, nrows: int = 1, figsize=(6.4, 4.0), dpi: int = 80):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(nrows, ncols, squeeze=False)
        self.axes = list(axes.flat)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.render_seconds = 0.0
        self.renders = 0

    def refresh(self) -> None:
        """Render the figure with its current artist data into the image widget.

        The first render lays the axes out (constrained layout); later ones keep that layout,
        which would otherwise be recomputed at every draw and cost more than the drawing. PNG
        is written with light compression: it is sent once over a local connection.
        """
        start = time.perf_counter()
        canvas = self.figure.canvas
        canvas.draw()
        if self.renders == 0:
            self.figure.set_layout_engine("none")
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(
            buffer, format="png", compress_level=1
        )
        self.image.value = buffer.getvalue()
        self.render_seconds = time.perf_counter() - start
        self.renders += 1
