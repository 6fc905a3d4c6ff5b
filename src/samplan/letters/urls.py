from django.urls import path

from . import citizen_views, consultation_views, views

urlpatterns = [
    path("sager/<int:pk>/breve/nyt/", views.letter_create, name="letter-create"),
    path("breve/<int:pk>/", views.letter_detail, name="letter-detail"),
    path("breve/<int:pk>/rediger/", views.letter_edit, name="letter-edit"),
    path("breve/<int:pk>/godkend/", views.letter_approve, name="letter-approve"),
    path("breve/<int:pk>/send-igen/", views.letter_retry, name="letter-retry"),
    path("breve/<int:pk>/pdf/", views.letter_pdf, name="letter-pdf"),
    # Min side
    path("mit/breve/", citizen_views.my_letters, name="my-letters"),
    path("mit/breve/<int:pk>/", citizen_views.my_letter, name="my-letter"),
    path("mit/breve/<int:pk>/pdf/", citizen_views.my_letter_pdf, name="my-letter-pdf"),
    path("sager/<int:pk>/partshoering/ny/", consultation_views.consultation_create, name="consultation-create"),
    path("partshoeringer/<int:pk>/", consultation_views.consultation_detail, name="consultation-detail"),
    path("partshoeringer/<int:pk>/svar/", consultation_views.consultation_letter_answer, name="consultation-letter-answer"),
    path("mit/partshoeringer/", consultation_views.my_consultations, name="my-consultations"),
    path("mit/partshoeringer/<int:pk>/svar/", consultation_views.my_consultation_answer, name="my-consultation-answer"),
    path("brevskabeloner/", views.template_list, name="letter-templates"),
    path("brevskabeloner/<slug:kind>/", views.template_edit, name="letter-template-edit"),
]
