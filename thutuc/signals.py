from django.dispatch import Signal

# Sent (after commit) when the working calendar changes: an override day saved or deleted,
# or an agency's office hours edited. kwargs: agency_id (None = every agency), dates
# (the days concerned, may be empty). motcua recomputes open dossiers' deadlines on it.
calendar_changed = Signal()
