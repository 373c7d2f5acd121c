"""What is assessed and against what: member states, their national instruments, and the reference catalogue."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import TranslatedModel

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_.-]*$", _("Use lower-case letters, digits, dots, dashes or underscores.")
)


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")
    OTHER = "other", _("Other")


class MemberState(TranslatedModel):
    code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, as in ISO 3166-1 alpha-2."))],
    )
    code3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, default=Region.OTHER)
    is_fictional = models.BooleanField(
        _("fictional"), default=False, help_text=_("A state made up for demonstrations and training.")
    )

    class Meta:
        ordering = ["name_en"]
        # The portfolio lists the reviews by state name: read in this order, a page stops after fifty reviews.
        indexes = [models.Index(fields=["name_en"], name="member_state_by_name")]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="member_state_code_iso2"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class CatalogueEntry(TranslatedModel):
    """A row of the reference catalogue: a stable code, an order, and its text in three languages."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_validator])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")

    @property
    def description(self) -> str:
        return self.translated("description")


class SupportArea(CatalogueEntry):
    """One of the six strategic support areas against which every report is organised."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("strategic support area")
        verbose_name_plural = _("strategic support areas")
        constraints = [models.UniqueConstraint(fields=["order"], name="support_area_order_unique")]


class ThematicArea(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")


class InternationalReference(CatalogueEntry):
    """A standard that criteria and recommendations link to: an SDG target, a GCM objective, an instrument."""

    class Kind(models.TextChoices):
        SDG = "sdg", _("Sustainable Development Goal target")
        GCM = "gcm", _("Global Compact for Migration objective")
        INSTRUMENT = "instrument", _("International instrument")
        GUIDANCE = "guidance", _("Guidance or standard")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("link"), blank=True)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("international reference")
        verbose_name_plural = _("international references")


class StandardProvision(CatalogueEntry):
    """An article (or standard) of an international instrument that criteria ask about: the Smuggling of Migrants
    Protocol's article 6, ICAO Annex 9's standards on API. Its name is its title; its description a short
    official summary, never the full text where the licence forbids it."""

    reference = models.ForeignKey(
        InternationalReference,
        on_delete=models.PROTECT,
        related_name="provisions",
        verbose_name=_("international instrument"),
    )
    article = models.CharField(
        _("article"), max_length=60, help_text=_("As the instrument numbers it: Article 6, 9.5.1.")
    )

    class Meta(CatalogueEntry.Meta):
        ordering = ["reference__order", "order", "code"]
        verbose_name = _("standard provision")
        verbose_name_plural = _("standard provisions")

    def __str__(self) -> str:
        return f"{self.reference.name}, {self.article}"


class AssessmentFramework(TranslatedModel):
    """One version of a criteria library. A new version is a new row: reviews keep the version they used."""

    code = models.CharField(_("code"), max_length=60, validators=[code_validator])
    version = models.PositiveIntegerField(_("version"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    content_hash = models.CharField(
        _("content hash"), max_length=64, help_text=_("SHA-256 of the library text this version was loaded from.")
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="framework_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def name(self) -> str:
        return self.translated("name")


class Criterion(TranslatedModel):
    framework = models.ForeignKey(
        AssessmentFramework, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    support_area = models.ForeignKey(
        SupportArea, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("support area")
    )
    thematic_area = models.ForeignKey(
        ThematicArea, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("thematic area")
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    guidance_en = models.TextField(_("guidance (English)"))
    guidance_fr = models.TextField(_("guidance (French)"))
    guidance_es = models.TextField(_("guidance (Spanish)"))
    references = models.ManyToManyField(
        InternationalReference, blank=True, related_name="criteria", verbose_name=_("international references")
    )
    # The standard provisions the criterion asks about (the catalogue's standard_provisions name their criteria).
    standard_provisions = models.ManyToManyField(
        StandardProvision, blank=True, related_name="criteria", verbose_name=_("standard provisions")
    )
    # The code of the criterion of an earlier version of the library that this one succeeds, when it is not the
    # same code: a follow-up review shows the predecessor's rating and finding beside it.
    succeeds = models.CharField(_("succeeds"), max_length=30, blank=True)

    class Meta:
        ordering = ["framework", "support_area__order", "order", "code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique_in_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def guidance(self) -> str:
        return self.translated("guidance")


class NationalInstrument(models.Model):
    """A law, regulation, strategy, plan, procedure or institutional arrangement of a member state."""

    class Type(models.TextChoices):
        LAW = "law", _("Law")
        REGULATION = "regulation", _("Regulation or decree")
        STRATEGY = "strategy", _("Strategy or policy")
        ACTION_PLAN = "action_plan", _("Action plan")
        SOP = "sop", _("Standard operating procedure")
        INSTITUTIONAL = "institutional", _("Institutional arrangement")
        AGREEMENT = "agreement", _("Agreement or memorandum")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        REPEALED = "repealed", _("Repealed")

    member_state = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("member state")
    )
    title = models.CharField(_("title"), max_length=300)
    instrument_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    support_area = models.ForeignKey(
        SupportArea, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("support area")
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Date of adoption or signature."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("Official number or citation.")
    )
    url = models.URLField(_("link"), blank=True)
    language = models.CharField(
        _("language of the text"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language its provisions are written in: searching them stems their words in it."),
    )
    file = models.FileField(_("file"), upload_to="instruments/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["member_state", "-date", "title"]
        verbose_name = _("national instrument")
        verbose_name_plural = _("national instruments")
        constraints = [
            models.CheckConstraint(condition=models.Q(title__regex=r"\S"), name="instrument_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title


class Provision(models.Model):
    """An article (or a paragraph, where it matters) of a national instrument, in the instrument's language.

    An amendment makes a new version of the provision; the old one stays, no longer current, where it was cited."""

    instrument = models.ForeignKey(
        NationalInstrument, on_delete=models.CASCADE, related_name="provisions", verbose_name=_("instrument")
    )
    number = models.CharField(_("number"), max_length=30, help_text=_("As the instrument numbers it: 12, 12 bis, 4.2."))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    amended_on = models.DateField(_("amended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["instrument", "order", "version"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], condition=models.Q(is_current=True), name="provision_current_unique"
            ),
            models.UniqueConstraint(fields=["instrument", "number", "version"], name="provision_version_unique"),
            models.CheckConstraint(condition=models.Q(number__regex=r"\S"), name="provision_number_not_blank"),
            models.CheckConstraint(condition=models.Q(text__regex=r"\S"), name="provision_text_not_blank"),
        ]
        indexes = [models.Index(fields=["instrument", "is_current", "order"], name="provision_current_order")]

    def __str__(self) -> str:
        return self.label(self.number, self.heading)

    @staticmethod
    def label(number: str, heading: str) -> str:
        """How an article is named ("Art. 12 Entry"), from its number and heading."""
        label = _("Art. %(number)s") % {"number": number}
        return f"{label} {heading}".strip()


class ProvisionSplit(models.Model):
    """The splitting of an instrument's file into provisions, by a worker (reviews.provisions): the articles it
    found wait as a preview the adviser corrects before any provision is saved."""

    class State(models.TextChoices):
        SPLITTING = "splitting", _("Splitting the file")
        READY = "ready", _("Ready to check")
        FAILED = "failed", _("Could not be split")
        SAVED = "saved", _("Saved")

    instrument = models.ForeignKey(NationalInstrument, on_delete=models.CASCADE, related_name="splits")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SPLITTING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    found = models.JSONField(_("articles found"), default=list)
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("split of an instrument")
        verbose_name_plural = _("splits of instruments")

    def __str__(self) -> str:
        return f"{self.instrument} ({self.get_state_display()})"
