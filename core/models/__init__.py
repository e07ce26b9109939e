from .append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyError", "AppendOnlyModel", "AppendOnlyQuerySet"]
