"""Root URL configuration, and the routes of the dossier app itself."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import health
from thutuc.accounts.forms import LoginForm

from .views import (
    citizen,
    dossier,
    fees,
    intake,
    notifications,
    online,
    papers,
    payments,
    public,
    rating,
    register,
    results,
    search,
    staff,
    tracking,
)

# Routes of the dossier app (namespace "motcua").
motcua_patterns = (
    [
        path("", staff.staff_home, name="staff_home"),
        path("tim-kiem/", search.search, name="search"),
        # counter: intake, receipts, attempt slips, register
        path("tiep-nhan/", intake.intake, name="intake"),
        path("tiep-nhan/xong/<str:code>/", intake.intake_done, name="intake_done"),
        path("tiep-nhan/phieu/<str:number>/", intake.intake_attempt, name="intake_attempt"),
        path("tiep-nhan/phieu/<str:number>/phieu.pdf", intake.intake_attempt_pdf, name="intake_attempt_pdf"),
        path("ho-so/<str:code>/giay-tiep-nhan.pdf", intake.receipt_pdf, name="receipt_pdf"),
        path("ho-so/<str:code>/giay-tiep-nhan/in/", intake.receipt_print, name="receipt_print"),
        path("ho-so/<str:code>/cap-lai-ma-tra-cuu/", intake.receipt_reissue, name="receipt_reissue"),
        # the online inbox (NĐ 118/2025/NĐ-CP Điều 17 khoản 2)
        path("truc-tuyen/", online.online_inbox, name="online_inbox"),
        path("truc-tuyen/<int:pk>/", online.online_detail, name="online_detail"),
        path("truc-tuyen/<int:pk>/tiep-nhan/", online.online_accept, name="online_accept"),
        path("truc-tuyen/<int:pk>/bo-sung/", online.online_supplement, name="online_supplement"),
        path("truc-tuyen/<int:pk>/tu-choi/", online.online_refuse, name="online_refuse"),
        path("so-theo-doi/", register.register, name="register"),
        path("so-theo-doi/so-theo-doi.xlsx", register.register_xlsx, name="register_xlsx"),
        path("so-theo-doi/so-theo-doi.pdf", register.register_pdf, name="register_pdf"),
        path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier_detail"),
        path("ho-so/<str:code>/thao-tac/<slug:action>/", dossier.dossier_action, name="dossier_action"),
        path("ho-so/<str:code>/phieu-kiem-soat.pdf", dossier.control_sheet_pdf, name="dossier_control_sheet"),
        path(
            "ho-so/<str:code>/phieu-bo-sung/<int:pk>.pdf",
            dossier.supplement_pdf,
            name="dossier_supplement_pdf",
        ),
        path("ho-so/<str:code>/tu-choi.pdf", dossier.refusal_pdf, name="dossier_refusal_pdf"),
        path("ho-so/<str:code>/xin-loi.pdf", dossier.apology_pdf, name="dossier_apology_pdf"),
        path("ho-so/<str:code>/thong-bao-dung.pdf", dossier.stop_notice_pdf, name="dossier_stop_pdf"),
        path("ho-so/<str:code>/danh-gia/", rating.rating_on_behalf, name="rating_on_behalf"),
        # papers' files: the counter's scans, downloads checked and logged
        path("ho-so/<str:code>/ban-quet/", papers.dossier_scan, name="dossier_scan"),
        path("tep/<int:pk>/", papers.paper_download, name="paper_download"),
        # the fee ledger (docs/fees.md): counter payment, exemption, refund; the accountant's list
        path("ho-so/<str:code>/phi-le-phi/<slug:what>/", fees.dossier_fee, name="dossier_fee"),
        path("phi-le-phi/", fees.fee_report, name="fee_report"),
        path("phi-le-phi/phi-le-phi.xlsx", fees.fee_report_xlsx, name="fee_report_xlsx"),
        # the electronic result: attached at the result step, downloaded through a checked view
        path("ho-so/<str:code>/ket-qua-dien-tu/", results.result_upload, name="result_upload"),
        path("ho-so/<str:code>/ket-qua-dien-tu.pdf", results.result_download_staff, name="result_download"),
        path("thong-bao/", notifications.notification_list, name="notifications"),
        path("thong-bao/<int:pk>/da-doc/", notifications.notification_read, name="notification_read"),
        path("thong-bao/da-doc-tat-ca/", notifications.notification_read_all, name="notification_read_all"),
    ],
    "motcua",
)

# Public routes of the dossier app, at the root but in the same "motcua" namespace.
motcua_public_patterns = [
    path("tra-cuu/", tracking.tracking, name="tracking"),
    path("tra-cuu/danh-gia/", tracking.tracking_rate, name="tracking_rate"),
    # the citizen's side of the online channel (motcua.citizen, motcua.services.filing)
    path("cong-dan/dang-nhap/", citizen.citizen_login, name="citizen_login"),
    path("cong-dan/dang-nhap/ma/", citizen.citizen_code, name="citizen_code"),
    path("cong-dan/dang-xuat/", citizen.citizen_logout, name="citizen_logout"),
    path("cong-dan/", citizen.citizen_home, name="citizen_home"),
    path("cong-dan/nop/<str:code>/", citizen.filing_new, name="filing_new"),
    path("cong-dan/ho-so-nop/<int:pk>/", citizen.filing_edit, name="filing_edit"),
    path("cong-dan/ho-so-nop/<int:pk>/dung-lai/", citizen.filing_reuse, name="filing_reuse"),
    path("cong-dan/ho-so-nop/<int:pk>/bo-tep/<int:paper_pk>/", citizen.filing_remove, name="filing_remove"),
    path("cong-dan/nop-lai/<int:pk>/", citizen.filing_correct, name="filing_correct"),
    path("cong-dan/ho-so/<str:code>/bo-sung/", citizen.dossier_supplement, name="citizen_supplement"),
    path("cong-dan/tep/<int:pk>/", citizen.citizen_file, name="citizen_file"),
    path("cong-dan/ho-so/<str:code>/thanh-toan/", citizen.citizen_pay, name="citizen_pay"),
    path("cong-dan/ho-so/<str:code>/ket-qua.pdf", citizen.citizen_result, name="citizen_result"),
    path("tra-cuu/ket-qua/<str:code>.pdf", results.result_download_citizen, name="result_download_citizen"),
    path("tra-cuu/thanh-toan/", payments.tracking_pay, name="tracking_pay"),
]

# Outside the "motcua" namespace: addresses given to the payment gateway and printed in QR codes.
payment_patterns = [
    path("thanh-toan/ket-qua/", payments.payment_return, name="payment_return"),
    path("thanh-toan/thong-bao/", payments.payment_notify, name="payment_notify"),
    # the sandbox gateway's checkout page (answers 404 unless PAYMENT_BACKEND is the sandbox)
    path("thanh-toan-thu-nghiem/<str:reference>/", payments.sandbox_checkout, name="payment_sandbox"),
    path("xac-minh/<str:token>/", results.result_verify, name="result_verify"),
]

handler400 = "motcua.views.public.bad_request"

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    *payment_patterns,
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "",
        include(
            ([*motcua_public_patterns, path("mot-cua/", include(motcua_patterns[0]))], motcua_patterns[1])
        ),
    ),
    path("", include("thutuc.urls")),
    path("", include("khieunai.urls")),
    path("", include("baocao.urls")),
    path("quan-tri/", admin.site.urls),
]
