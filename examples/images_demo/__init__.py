"""A demo backend for the generated `images_api` server.

Deterministic Pillow drawings stand in for a model, so the API serves real
images with no network. `app` (in `.app`) is the ready-to-serve application;
`DemoImages` and `ImageStore` let you build your own.
"""

from .backend import DemoImages
from .storage import ImageStore

__all__ = ["DemoImages", "ImageStore"]
