"""The document list of the selected dossier, case or e-mail (model, view, badges)."""

from desktop.documents.list_model import Column, DocumentListModel
from desktop.documents.list_view import DocumentListView, DropHandler, MimeFactory

__all__ = ["Column", "DocumentListModel", "DocumentListView", "DropHandler", "MimeFactory"]
