"""FFB terminology: code systems and their concepts, kept per version."""

from django.db import models


class CodeSystem(models.Model):
    url = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kodesystem"
        verbose_name_plural = "kodesystemer"
        constraints = [models.UniqueConstraint(fields=["url", "version"], name="codesystem_unique_version")]
        ordering = ["url", "-version"]

    def __str__(self):
        return f"{self.name} {self.version}"


class Concept(models.Model):
    """One code of one code-system version. ``path`` is the chain of codes from the root
    (joined by '/') so a branch is one indexed prefix query."""

    system = models.ForeignKey(CodeSystem, on_delete=models.PROTECT, related_name="concepts")
    code = models.CharField(max_length=64)
    display = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=1000, db_index=True)
    depth = models.PositiveSmallIntegerField()
    sort_key = models.CharField(max_length=1200, db_index=True)

    class Meta:
        verbose_name = "begreb"
        verbose_name_plural = "begreber"
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="concept_unique_code")]
        ordering = ["sort_key"]

    def __str__(self):
        return self.display

    def is_within(self, ancestor: "Concept") -> bool:
        return self.system_id == ancestor.system_id and (self.path + "/").startswith(ancestor.path + "/")
