"""The one model of the documents app: a PDF made in the background (documents/pdf/exports.py).
No rules live here; the service starts, runs and expires exports."""

from django.conf import settings
from django.db import models

from workshops.models import JourneyMap


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a free renderer"
    RENDERING = "rendering", "Making the PDF"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired: make it again"


class PdfExport(models.Model):
    """One person's PDF of a map with the options they chose, made by the tasks worker so that
    a big map holds up neither a request nor the live board. Its file is deleted after a day,
    or once a newer export of the same map and options by the same person is ready."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="pdf_exports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The options as export.pdf's query string takes them, in one spelling (exports.py), so
    # that the same options read the same: "evidence=1&lanes=3,5".
    query = models.CharField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to="exports/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)  # bytes
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="pdf_export_status")]

    def __str__(self):
        return f"PDF of map {self.map_id} ({self.status})"
