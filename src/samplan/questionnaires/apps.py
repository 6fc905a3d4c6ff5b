from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "samplan.questionnaires"
    label = "questionnaires"
    verbose_name = "Spørgeskemaer (trivsel og recovery)"
