from .append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from .once import FormSubmission

__all__ = ["AppendOnlyError", "AppendOnlyModel", "AppendOnlyQuerySet", "FormSubmission"]
