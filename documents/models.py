"""The models of the documents app: a PDF made in the background (documents/pdf/exports.py) and
a map's public read-only links (documents/sharing/). No rules live here; the services make,
run, expire and revoke them."""

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


class ShareLink(models.Model):
    """A read-only link to one map for people outside the workshop (documents/sharing/): whoever
    holds it sees the board without logging in, until it expires or a facilitator revokes it
    (which deletes the row). Only the token's SHA-256 is kept, so the link is shown once, when
    it is made; a leaked database lets nobody in."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, so that a facilitator can tell which link is which.
    hint = models.CharField(max_length=8)
    label = models.CharField(max_length=200, blank=True)
    include_evidence = models.BooleanField(default=False)
    allow_png = models.BooleanField(default=True)
    # While a facilitator presents the map, the page shows the stage presented (present mode).
    follow_present = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: until revoked

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link {self.hint}… of map {self.map_id}"
