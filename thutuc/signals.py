from django.dispatch import Signal

# Sent after commit (thutuc/receivers.py) when the working calendar changes: an override day
# saved (date, kind or agency changed) or deleted, make-up days imported, or an agency's
# office hours edited. sender: thutuc.models.CalendarDay. kwargs: agency_id (None = the
# national calendar, i.e. every agency), dates (a frozenset of the days concerned; empty =
# every day, for changed office hours). Once per change; once per agency scope for a bulk
# delete or an import. motcua recomputes open dossiers' deadlines on it.
calendar_changed = Signal()
