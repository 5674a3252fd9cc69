"""The cybersecurity office's strengthening plan: framework catalogues and their controls, objectives and measures on
the three lines of defence with their updates and evidence, and the live indicators Liaison computes from its own
data, kept as a time series."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.core.vocab import in_reader_language


class LineOfDefence(models.IntegerChoices):
    FIRST = 1, _("1st line: business and IT operations")
    SECOND = 2, _("2nd line: security office")
    THIRD = 3, _("3rd line: internal audit")


class AssuranceLevel(models.TextChoices):
    """CyberFundamentals assurance levels, cumulative: IMPORTANT includes BASIC, ESSENTIAL includes both."""

    BASIC = "basic", _("Basic")
    IMPORTANT = "important", _("Important")
    ESSENTIAL = "essential", _("Essential")


LEVEL_ORDER = [AssuranceLevel.BASIC, AssuranceLevel.IMPORTANT, AssuranceLevel.ESSENTIAL]


class CsfFunction(models.TextChoices):
    """The six functions of the NIST Cybersecurity Framework 2.0."""

    GOVERN = "GV", _("Govern")
    IDENTIFY = "ID", _("Identify")
    PROTECT = "PR", _("Protect")
    DETECT = "DE", _("Detect")
    RESPOND = "RS", _("Respond")
    RECOVER = "RC", _("Recover")


class Framework(BaseModel):
    """A catalogue of controls loaded from a file (`liaison security import-framework`)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=40)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    source_name = models.CharField(_("source file"), max_length=200)
    source_sha256 = models.CharField(_("SHA-256 of the source file"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["code", "version"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="security_framework_code_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def name(self) -> str:
        return in_reader_language(self.name_fr, self.name_en)


class FrameworkControl(BaseModel):
    """One requirement of a framework, at one assurance level, under one NIST CSF 2.0 function."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="controls")
    control_id = models.CharField(_("control"), max_length=40)
    level = models.CharField(_("assurance level"), max_length=10, choices=AssuranceLevel.choices)
    function = models.CharField(_("function"), max_length=2, choices=CsfFunction.choices)
    category = models.CharField(_("category"), max_length=40, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    text_fr = models.TextField(_("requirement (French)"), blank=True)
    text_en = models.TextField(_("requirement (English)"), blank=True)
    is_key_measure = models.BooleanField(_("key measure"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("framework control")
        verbose_name_plural = _("framework controls")
        constraints = [
            models.UniqueConstraint(fields=["framework", "control_id"], name="security_control_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.control_id} {self.title}"

    @property
    def title(self) -> str:
        return in_reader_language(self.title_fr, self.title_en)

    @property
    def text(self) -> str:
        return in_reader_language(self.text_fr, self.text_en)


class Objective(BaseModel):
    """An objective of the strengthening plan, reached through measures."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position", "reference"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    BLOCKED = "blocked", _("blocked")
    DONE = "done", _("done")
    ABANDONED = "abandoned", _("abandoned")


class Measure(BaseModel):
    """A measure of the plan, on one line of defence, owned by one person, mapped to framework controls and to the
    live indicators that evidence it."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="measures")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    line = models.PositiveSmallIntegerField(_("line of defence"), choices=LineOfDefence.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="security_measures", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    controls = models.ManyToManyField(FrameworkControl, blank=True, related_name="measures", verbose_name=_("controls"))
    indicators = models.ManyToManyField(
        "security.Indicator", blank=True, related_name="measures", verbose_name=_("indicators")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["objective__position", "reference"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="security_measure_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class MeasureUpdate(BaseModel):
    """One step in a measure's life: a comment, with the status and progress it left the measure in."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("measure update")
        verbose_name_plural = _("measure updates")


class MeasureEvidence(BaseModel):
    """A file that evidences a measure, stored encrypted like item attachments (AES-256-GCM, its own data key
    wrapped by the master key)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="evidence")
    description = models.CharField(_("description"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    content_hmac = models.CharField(max_length=64)
    wrapped_key = models.BinaryField()
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.filename


class IndicatorCode(models.TextChoices):
    SECOND_FACTOR_SHARE = "second_factor_share", _("accounts with a second factor (%)")
    PHISHING_RESISTANT_SHARE = "phishing_resistant_share", _("accounts with a phishing-resistant key (%)")
    LOCKED_ACCOUNTS = "locked_accounts", _("locked accounts")
    FAILED_LOGINS = "failed_logins", _("failed logins (last 24 hours)")
    AUDIT_CHAIN_INTACT = "audit_chain_intact", _("audit chain intact")
    AUDIT_VERIFICATION_AGE = "audit_verification_age", _("hours since the audit chain was last verified")
    REPORTS_UNACKNOWLEDGED = "reports_unacknowledged", _("reports unacknowledged past their deadline")
    EXPORTS_ABOVE_USUAL = "exports_above_usual", _("users exporting above their usual volume")
    REVIEWS_OVERDUE = "reviews_overdue", _("access review items overdue")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class Indicator(BaseModel):
    """A figure Liaison computes from its own data, with the threshold that makes it green or red."""

    code = models.CharField(_("indicator"), max_length=40, choices=IndicatorCode.choices, unique=True)
    comparison = models.CharField(_("comparison"), max_length=8, choices=Comparison.choices)
    threshold = models.FloatField(_("threshold"))
    is_active = models.BooleanField(_("computed"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return str(self.get_code_display())

    def is_met(self, value: float) -> bool:
        return value >= self.threshold if self.comparison == Comparison.AT_LEAST else value <= self.threshold


class IndicatorSample(models.Model):
    """One computation of an indicator: the time series the plan, the trend and the committee's report read."""

    id = models.BigAutoField(primary_key=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="samples")
    computed_at = models.DateTimeField(_("computed at"))
    value = models.FloatField(_("value"))
    is_met = models.BooleanField(_("threshold met"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("indicator sample")
        verbose_name_plural = _("indicator samples")
        indexes = [models.Index(fields=["indicator", "-computed_at"], name="security_sample_latest")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.computed_at:%Y-%m-%d %H:%M} {self.value:g}"
