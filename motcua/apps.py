from django.apps import AppConfig


class MotcuaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "motcua"
    verbose_name = "Hồ sơ một cửa"

    def ready(self):
        from thutuc.signals import calendar_changed

        from . import checks  # noqa: F401  (registers the production settings check)
        from .alerts.scan import rescan_after_calendar_change, reset_scan_watermark
        from .services.deadlines import on_calendar_changed

        # A new holiday or make-up working day moves the deadlines of open dossiers.
        calendar_changed.connect(on_calendar_changed, dispatch_uid="motcua.recompute_open_deadlines")
        # ... and the thresholds of the deadline scan: its next run is a full one.
        calendar_changed.connect(reset_scan_watermark, dispatch_uid="motcua.reset_alert_scan_watermark")
        # ... and the alerts follow at once (old deadlines resolved, new ones alerted).
        calendar_changed.connect(
            rescan_after_calendar_change, dispatch_uid="motcua.rescan_after_calendar_change"
        )
