"""The dialogs of the main window, one module each. Every dialog reads and writes through
``AppContext.loader`` and announces its writes on ``AppContext.events``."""

from desktop.dialogs.about import AboutDialog
from desktop.dialogs.close_record import close_record, reopen_record
from desktop.dialogs.delete_record import move_to_trash
from desktop.dialogs.new_case import NewCaseDialog
from desktop.dialogs.new_dossier import NewDossierDialog
from desktop.dialogs.properties import PropertiesDialog
from desktop.dialogs.settings_dialog import SettingsDialog
from desktop.dialogs.trash import TrashDialog

__all__ = [
    "AboutDialog",
    "NewCaseDialog",
    "NewDossierDialog",
    "PropertiesDialog",
    "SettingsDialog",
    "TrashDialog",
    "close_record",
    "move_to_trash",
    "reopen_record",
]
