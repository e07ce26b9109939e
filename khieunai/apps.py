from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def forget_citizen_unlocks(sender, request, user, **kwargs):
    """A member of staff who logs in on a browser where a citizen unlocked a case with its
    code + PIN must not inherit that access (Django keeps the anonymous session's data at
    login): their downloads would pass as the citizen's and escape the access log."""
    from .views.public import SESSION_JUST_SUBMITTED, SESSION_VERIFIED

    for key in (SESSION_VERIFIED, SESSION_JUST_SUBMITTED):
        request.session.pop(key, None)


class KhieunaiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "khieunai"
    verbose_name = "Phản ánh, kiến nghị, khiếu nại, tố cáo"

    def ready(self):
        user_logged_in.connect(forget_citizen_unlocks, dispatch_uid="khieunai.forget_citizen_unlocks")
