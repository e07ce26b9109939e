"""Compare the online payments of the last days with the payment gateway's own list of
transactions (motcua.payments.service.reconcile): report what differs, and with --fix
record the payments the gateway took but whose callback never arrived."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.payments.service import reconcile


class Command(BaseCommand):
    help = "Đối soát thanh toán trực tuyến với danh sách giao dịch của cổng thanh toán."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="số ngày gần nhất được đối soát (mặc định 2)")
        parser.add_argument(
            "--fix", action="store_true", help="ghi nhận các giao dịch cổng đã thu mà sổ chưa có"
        )

    def handle(self, *args, days, fix, **options):
        since = timezone.now() - dt.timedelta(days=max(days, 1))
        findings = reconcile(since=since, fix=fix)
        for finding in findings:
            mark = "ĐÃ SỬA" if finding.fixed else "CẦN XEM"
            self.stdout.write(f"[{mark}] {finding.reference}: {finding.text}")
        open_items = sum(1 for f in findings if not f.fixed)
        fixed = len(findings) - open_items
        self.stdout.write(
            f"Đối soát từ {timezone.localtime(since):%d/%m/%Y %H:%M}: "
            f"{fixed} giao dịch được ghi nhận bổ sung, {open_items} chênh lệch cần xem."
        )
