"""Deadline alerts for staff: due soon, overdue, escalation, apology reminder, daily digest.

`scan.scan_deadlines(now=...)` is what the periodic Celery task runs; `digest.send_digests`
the daily message. Both write Notification rows keyed by a dedupe key, so a rerun, two
beat instances or two workers never create (or send) an alert twice.
"""
