"""Data for the course: toy problems, real digits, and the helpers that feed them to a network.

Used from lesson 1 on. Everything here works offline; only the Fashion-MNIST and MNIST loaders
download (once, with checksums), and only when called.
"""

from .batching import batches

__all__ = ["batches"]
