from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "samplan.demo"
    label = "demo"
    verbose_name = "Demodata"
