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
