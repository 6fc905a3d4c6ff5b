from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "samplan.plans"
    label = "plans"
    verbose_name = "Den samlede plan (én plan pr. borger)"
