"""Evidence: the data behind a stage or card. No rules live here: every write goes through
services.py (evidence/services.py).

One model for every kind, with a `kind` and the kind-specific columns left empty by the others.
We chose it over a model per kind (a list, a filter or a coverage count would each need five
queries or a union) and over a JSON of fields (a metric's value would not be a number the
database can sort or sum, and every reader would re-validate). The few empty columns cost little.
"""

from django.conf import settings
from django.db import models

from workshops.models import Card, JourneyMap, Stage


class Kind(models.TextChoices):
    METRIC = "metric", "Metric"
    SURVEY = "survey", "Survey answer"
    QUOTE = "quote", "Quote"
    RECORDING = "recording", "Session recording"
    IMAGE = "image", "Heatmap or screenshot"


class Layer(models.TextChoices):
    QUANTITATIVE = "quantitative", "Quantitative"
    QUALITATIVE = "qualitative", "Qualitative"
    BEHAVIOURAL = "behavioural", "Behavioural"


LAYER_OF = {
    Kind.METRIC: Layer.QUANTITATIVE,
    Kind.SURVEY: Layer.QUALITATIVE,
    Kind.QUOTE: Layer.QUALITATIVE,
    Kind.RECORDING: Layer.BEHAVIOURAL,
    Kind.IMAGE: Layer.BEHAVIOURAL,
}


class ScoreScale(models.TextChoices):
    NPS = "nps", "NPS (0-10)"
    CSAT = "csat", "CSAT (1-5)"
    CES = "ces", "CES (1-7)"


class Provider(models.TextChoices):
    HOTJAR = "hotjar", "Hotjar"
    CUX = "cux", "CUX"
    FULLSTORY = "fullstory", "FullStory"
    CLARITY = "clarity", "Microsoft Clarity"
    SMARTLOOK = "smartlook", "Smartlook"
    MOUSEFLOW = "mouseflow", "Mouseflow"
    LOOM = "loom", "Loom"
    YOUTUBE = "youtube", "YouTube"
    VIMEO = "vimeo", "Vimeo"
    OTHER = "other", "Other"


class EvidenceQuerySet(models.QuerySet):
    def on_stage(self, stage_id):
        """Evidence of a stage: its own and its cards'."""
        return self.filter(models.Q(stage_id=stage_id) | models.Q(card__stage_id=stage_id))


class Evidence(models.Model):
    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Either a stage or a card. A card's evidence is on the card's stage through the card, so
    # it follows the card when the card moves and goes with it, as cards go with their stage.
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    collected_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # metric
    name = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    period = models.CharField(max_length=100, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    # metric, survey, quote: where it comes from (GA4, a survey tool, an interview...)
    source = models.CharField(max_length=200, blank=True)

    # survey answer
    question = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    score = models.SmallIntegerField(null=True, blank=True)
    score_scale = models.CharField(max_length=10, choices=ScoreScale.choices, blank=True)
    segment = models.CharField(max_length=200, blank=True)

    # quote
    text = models.TextField(blank=True)
    who = models.CharField(max_length=200, blank=True)

    # recording
    url = models.URLField(max_length=2000, blank=True)
    provider = models.CharField(max_length=20, choices=Provider.choices, blank=True)
    start_seconds = models.PositiveIntegerField(null=True, blank=True)

    # image: random names, served only through a view that checks membership
    image = models.FileField(upload_to="evidence/", blank=True)
    thumbnail = models.FileField(upload_to="evidence/thumbs/", blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    caption = models.CharField(max_length=500, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__isnull=False, card=None)
                | models.Q(stage=None, card__isnull=False),
                name="evidence_on_stage_or_card",
            ),
        ]
        indexes = [models.Index(fields=["map", "kind"], name="evidence_map_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} on map {self.map_id}"

    @property
    def layer(self) -> str:
        return LAYER_OF[self.kind]

    @property
    def effective_stage_id(self):
        return self.card.stage_id if self.card_id else self.stage_id


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking the rows"
    WRITING = "writing", "Writing the pieces"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed: nothing was imported"


class EvidenceImport(models.Model):
    """A file on its way in: imported by the background worker (evidence/imports.py), so that a
    big file neither holds up a request nor the live board. Its file is deleted once it is in."""

    map = models.ForeignKey(JourneyMap, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="imports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    mapping = models.JSONField(default=dict)
    kind = models.CharField(max_length=20, blank=True)  # with a flat {column: field} mapping
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL)
    stage_column = models.CharField(max_length=200, blank=True)
    op_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_checked = models.PositiveIntegerField(default=0)
    noted_at = models.DateTimeField(auto_now_add=True)  # its last sign of life
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["map", "created_by", "op_id"],
                condition=~models.Q(op_id=""),
                name="one_import_per_operation",
            )
        ]

    def __str__(self):
        return f"Import of {self.file_name or 'a file'} into map {self.map_id}"
