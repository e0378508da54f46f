"""Drag and drop: files and folders from Explorer, mails from Thunderbird and Outlook, moves of
documents inside the app, and documents dragged out as files. See ``controller``."""

from desktop.dropping.controller import FEW_FILES, DropController
from desktop.dropping.filing_job import FilingJob, FilingReport
from desktop.dropping.views import DropTreeView, install_drop_target

__all__ = [
    "FEW_FILES",
    "DropController",
    "DropTreeView",
    "FilingJob",
    "FilingReport",
    "install_drop_target",
]
