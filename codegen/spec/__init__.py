"""Reading a spec: files, YAML rules, references, schema names and validation.

`load_spec` is the one way in; the rest of the toolkit sees a `LoadedSpec`.
"""

from .bundle import LoadedSpec, Location, Pointer, load_spec

__all__ = ["LoadedSpec", "Location", "Pointer", "load_spec"]
