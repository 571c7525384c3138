"""The search index: one row per searchable person, post, community or tag."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The vendor-specific full-text structures live outside this model, created by migration 0001
# and kept up to date by `vivier.search.backends`: a `document` tsvector column with a GIN index
# on PostgreSQL, an FTS5 table `search_fts` (rowid = SearchEntry.id) on SQLite.


class SearchEntry(models.Model):
    """What the search knows of one object: its text, and what decides who may find it."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        POST = "post", _("Post")
        COMMUNITY = "community", _("Community")
        TAG = "tag", _("Tag")
        ANSWER = "answer", _("Answer")
        COMMENT = "comment", _("Comment")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        SECRET = "secret", _("Secret")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.FRENCH)
    # Plain ids, not foreign keys: the index must never block or cascade into the social data.
    community_id = models.BigIntegerField(null=True, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    author_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    url = models.CharField(max_length=300, blank=True)
    # How strongly the text shows its author's knowledge (the expertise model's association
    # weight, see docs/expertise.md): 0 for entries that are not someone's writing.
    evidence = models.FloatField(default=0.0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        indexes = [
            models.Index(fields=["community_id"], name="search_entry_community"),
            models.Index(fields=["author_id", "kind"], name="search_entry_author"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
