"""Reference catalogs: frameworks, their requirement trees, crosswalks and ATT&CK mappings.

A framework here is published reference content (NIST CSF 2.0, SP 800-53, an ISO Annex A written
by the user, ...). What the organisation does about it (controls, assessments, evidence) lives in
the compliance app, which points at these models. See docs/frameworks.md.
"""

from django.db import models

from ramparts.core.models import User


class Framework(models.Model):
    """One version of one framework: a catalog, a resolved profile or a custom (YAML/CSV) tree."""

    class Kind(models.TextChoices):
        CATALOG = "catalog", "catalog"
        PROFILE = "profile", "profile"
        CUSTOM = "custom", "custom"

    slug = models.SlugField(max_length=120, unique=True)  # the human id in URLs: "nist-csf-2-0"
    name = models.CharField(max_length=300)
    version = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CATALOG)
    # Where it came from: "built-in", "oscal-json", "oscal-xml", "yaml", "csv".
    source = models.CharField(max_length=20)
    built_in = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    published = models.CharField(max_length=40, blank=True)  # as the file states it (OSCAL dates vary)
    oscal_uuid = models.CharField(max_length=64, blank=True, db_index=True)
    oscal_version = models.CharField(max_length=20, blank=True)
    # A profile: the imported catalog it was resolved against, and the ids it selected that the
    # catalog does not hold.
    imported_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="profiles")
    unresolved = models.JSONField(default=list, blank=True)
    file_name = models.CharField(max_length=400, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    requirement_count = models.PositiveIntegerField(default=0)  # assessable requirements, kept by import
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="framework_name_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def ref(self) -> str:
        return self.slug


class Requirement(models.Model):
    """A node of a framework's tree: a group/function/category, or an assessable control/subcategory.

    `identifier` is what people read and what versions are compared by ("GV.OC-01", "AC-2(1)");
    `key` is the id inside the source file ("ac-2.1"), unique per framework as well.
    """

    class Kind(models.TextChoices):
        GROUP = "group", "group"  # OSCAL group / custom section: structure only
        FUNCTION = "function", "function"  # CSF
        CATEGORY = "category", "category"  # CSF
        SUBCATEGORY = "subcategory", "subcategory"  # CSF
        CONTROL = "control", "control"
        ENHANCEMENT = "enhancement", "control enhancement"
        REQUIREMENT = "requirement", "requirement"  # custom frameworks, 800-171

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    # A profile's requirement: the catalog requirement it was resolved from.
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    identifier = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONTROL)
    oscal_class = models.CharField(max_length=60, blank=True)
    # Structure nodes (groups, functions) are not assessed; compliance assesses the rest.
    assessable = models.BooleanField(default=True)
    statement = models.TextField(blank=True)  # parameters rendered, items as "a. ..." lines
    guidance = models.TextField(blank=True)
    # Other parts, in file order: [{"name": "assessment-objective", "title": "", "prose": "..."}].
    parts = models.JSONField(default=list, blank=True)
    # [{"id", "label", "values", "select": {"how_many", "choices"}, "guidelines"}]
    params = models.JSONField(default=list, blank=True)
    withdrawn = models.BooleanField(default=False)
    # Where a withdrawn requirement went: [{"rel": "incorporated-into", "identifier": "AC-6"}].
    withdrawn_to = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)  # document order across the whole framework
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "identifier"], name="requirement_identifier_unique"),
            models.UniqueConstraint(fields=["framework", "key"], name="requirement_key_unique"),
        ]
        indexes = [models.Index(fields=["framework", "parent"])]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}".strip()


class RequirementRelation(models.Model):
    """A crosswalk edge between two requirements, with a NIST OLIR relationship type.

    Read "source <relationship> target": AC-2 subset_of GV.OC-01.
    """

    class Relationship(models.TextChoices):
        SUBSET_OF = "subset_of", "subset of"
        INTERSECTS_WITH = "intersects_with", "intersects with"
        EQUAL = "equal", "equal"
        SUPERSET_OF = "superset_of", "superset of"
        RELATED = "related", "related"  # OLIR "not related" is simply not recorded

    source = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="relations_in")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    origin = models.CharField(max_length=300, blank=True)  # the mapping file or person it came from
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="requirement_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="requirement_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relationship} {self.target_id}"


class AttackTechnique(models.Model):
    """A MITRE ATT&CK technique or sub-technique, as named by the mapping files that cite it."""

    technique_id = models.CharField(max_length=20, unique=True)  # "T1556" / "T1556.006"
    name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["technique_id"]

    def __str__(self) -> str:
        return f"{self.technique_id} {self.name}".strip()


class RequirementTechnique(models.Model):
    """A requirement mitigates (or otherwise maps to) an ATT&CK technique, per a mapping file."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="techniques")
    technique = models.ForeignKey(AttackTechnique, on_delete=models.CASCADE, related_name="requirements")
    mapping_type = models.CharField(max_length=40, default="mitigates")
    # "CTID ATT&CK 12.1 → NIST 800-53 r5", "Mappings Explorer nist_800_53 rev5 / ATT&CK 16.1"
    origin = models.CharField(max_length=300)
    attack_version = models.CharField(max_length=20, blank=True)
    capability = models.CharField(max_length=100, blank=True)  # the id in the file, e.g. "DE.AE-02.01"
    comments = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "technique", "origin", "capability"], name="requirement_technique_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} {self.mapping_type} {self.technique_id}"
