"""Explorer: what every explorer of nnlib.widgets has in common.

An explorer holds ``model`` (plain Python numbers), ``controls`` (name -> ipywidgets control),
``view`` (a FigureView) and ``widget`` (the container shown in the notebook); it implements
``update()``, which brings the view's artists up to date with the model without rendering.
"""

from __future__ import annotations

__all__ = ["Explorer"]


class Explorer:
    """Base class: displays as its widget, and redraws after a control changes."""

    def update(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update()")

    def _on_change(self, _change=None) -> None:
        """The observer of controls that only change what is shown: update, then render."""
        self.update()
        self.view.refresh()

    def _repr_mimebundle_(self, **kwargs):
        # An explorer as a cell's last expression displays its widget.
        return self.widget._repr_mimebundle_(**kwargs)
