from django.urls import path

from .catalogue import views as catalogue

app_name = "thutuc"

urlpatterns: list = [
    path("thu-tuc/", catalogue.procedure_list, name="procedure_list"),
    path("thu-tuc/mau-don/<int:pk>/", catalogue.document_template, name="document_template"),
    path("thu-tuc/<str:code>/", catalogue.procedure_detail, name="procedure_detail"),
]
