"""The yes/no dialog lives with the other reusable dialogs in `widgets.confirm`, where
widgets may use it too; this name stays for code that imports it from here."""

from oppmarket.widgets.confirm import ConfirmDialog

__all__ = ["ConfirmDialog"]
