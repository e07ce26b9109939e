from django.urls import path

from .views import public, registers, staff

app_name = "khieunai"

urlpatterns = [
    # Public
    path("phan-anh/", public.submit, name="submit"),
    path("phan-anh/da-gui/", public.submitted, name="submitted"),
    path("phan-anh/tra-cuu/", public.track, name="track"),
    path("phan-anh/cong-khai/", public.published, name="published"),
    path("phan-anh/tep/<int:pk>/", public.attachment, name="attachment"),
    # Staff: feedback, complaints, denunciations
    path("khieu-nai/", staff.feedback_list, name="staff_list"),
    path("khieu-nai/vao-so/", staff.feedback_create, name="staff_create"),
    path("khieu-nai/<str:code>/", staff.feedback_detail, name="staff_detail"),
    path("khieu-nai/<str:code>/thong-bao/", staff.feedback_notice, name="staff_notice"),
    path("khieu-nai/<str:code>/<slug:action>/", staff.feedback_action, name="staff_action"),
    # Hotline log
    path("duong-day-nong/", registers.hotline, name="hotline"),
    path("duong-day-nong/kiem-tra-ho-so/", registers.dossier_check, name="hotline_dossier_check"),
    path("duong-day-nong/xuat-excel/", registers.hotline_export, name="hotline_export"),
    path(
        "duong-day-nong/<int:pk>/chuyen-phan-anh/", registers.hotline_to_feedback, name="hotline_to_feedback"
    ),
    # Citizen-reception register (Mẫu 06-TCD)
    path("tiep-cong-dan/", registers.reception_list, name="reception"),
    path("tiep-cong-dan/them/", registers.reception_create, name="reception_create"),
]
