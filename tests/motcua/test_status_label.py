"""`Dossier.get_status_display` (issue 21 §2: a plain dict lookup instead of Django's generated
method, which hashed every lazy label at each call) says what the choices say, in the active
language, for every status."""

from django.utils import translation

from motcua.models import Dossier, Status


def test_every_status_reads_its_label_in_the_active_language():
    with translation.override("vi"):
        for status in Status:
            assert Dossier(status=status).get_status_display() == str(status.label)
        assert Dossier(status=Status.PROCESSING).get_status_display() == "Đang xử lý"
    assert Dossier(status="khong-co").get_status_display() == "khong-co"  # as Django's: the value
