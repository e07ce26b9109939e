import pytest

from khieunai import demo
from khieunai.confidentiality import submitter_for
from khieunai.models import CitizenReception, Feedback, FeedbackKind, HotlineCall

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_realistic(province):
    demo.seed()
    counts = (Feedback.objects.count(), HotlineCall.objects.count(), CitizenReception.objects.count())
    demo.seed()
    assert counts == (Feedback.objects.count(), HotlineCall.objects.count(), CitizenReception.objects.count())
    assert counts[0] >= len(demo.CASES) and counts[1] > 50 and counts[2] == len(demo.RECEPTIONS)
    assert Feedback.objects.filter(
        kind=FeedbackKind.COMPLAINT, is_complex=True, accepted_at__isnull=False
    ).exists()
    assert Feedback.objects.filter(kind=FeedbackKind.COMPLAINT, is_second_instance=True).exists()
    denunciation = Feedback.objects.get(kind=FeedbackKind.DENUNCIATION)
    assert submitter_for(None, denunciation).hidden
    assert Feedback.objects.filter(published_at__isnull=False).count() == 1
    assert Feedback.objects.filter(related_dossier__isnull=False).count() == 0
    assert HotlineCall.objects.filter(feedback__isnull=False).exists()
    assert Feedback.objects.values("agency").distinct().count() >= 3


def test_the_land_question_is_forwarded_inside_the_portal(province):
    from thutuc.models import Agency

    demo.seed()
    original = Feedback.objects.get(title="Đề nghị hướng dẫn thủ tục cấp đổi sổ đỏ", forwarded_from=None)
    land = Agency.objects.get(code=demo.LAND)
    assert original.forwarded_agency == land and original.status == "forwarded"
    copy = Feedback.objects.get(forwarded_from=original)
    assert copy.agency == land and copy.status == "received" and copy.code != original.code


def test_the_samples_messages_are_never_sent(province):
    from motcua.models import Notification

    demo.seed()
    messages = Notification.objects.filter(kind__startswith="feedback_")
    assert messages.filter(kind="feedback_receipt").exists()  # the hotline callers' code + PIN
    assert not messages.filter(sent_at__isnull=True).exists()
