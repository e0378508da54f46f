"""The metadata panel of the selected document, with undoable edits."""

from desktop.metadata.panel import MetadataPanel

__all__ = ["MetadataPanel"]
