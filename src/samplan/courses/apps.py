from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "samplan.courses"
    label = "courses"
    verbose_name = "Recoveryskolen (kurser)"
