"""Social layer: posts and articles, comments, reactions, communities, follows, notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vivier.core.models import BaseModel


class Community(BaseModel):
    """A space where people share: open, closed (join on request) or secret (invisible)."""

    class Visibility(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        SECRET = "secret", _("Secret")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    rules = models.TextField(_("rules"), blank=True, max_length=4000)
    rules_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.OPEN
    )
    is_expert_community = models.BooleanField(_("expert community"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        indexes = [models.Index(fields=["visibility"])]

    def __str__(self) -> str:
        return self.name


class Membership(BaseModel):
    """A person's place in a community; pending until a closed community accepts them."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ANIMATOR = "animator", _("Animator")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        PENDING = "pending", _("Request pending")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.community_id}:{self.role}"


class Tag(models.Model):
    """A hashtag; linked to a skill when it matches one of the skill's names."""

    name = models.CharField(_("name"), max_length=64)
    normalized = models.CharField(max_length=64, unique=True)
    skill = models.ForeignKey(
        "people.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="tags"
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["normalized"]

    def __str__(self) -> str:
        return f"#{self.name}"


class Post(BaseModel):
    """A short update or a long-form article, personal or in a community."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        ARTICLE = "article", _("Article")
        QUESTION = "question", _("Question")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.UPDATE)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    language = models.CharField(max_length=8, blank=True, editable=False)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    shared_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_posts"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    reaction_count = models.PositiveIntegerField(default=0, editable=False)
    answer_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="post_recent"),
            models.Index(fields=["author", "-created_at", "-id"], name="post_author_recent"),
            models.Index(fields=["community", "-created_at", "-id"], name="post_community_recent"),
        ]

    def __str__(self) -> str:
        return self.title or self.body[:60]


class PostRevision(models.Model):
    """An earlier version of a post, kept when it is edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post_id}@{self.created_at:%Y-%m-%d %H:%M}"


class Attachment(BaseModel):
    """An image or PDF attached to a post; its type is read from the content."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/")
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.original_name


class Comment(BaseModel):
    """A comment on a post; replies go one level deep."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(blank=True, editable=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_comments"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Reaction(models.Model):
    """One person's reaction to a post, from a small fixed set."""

    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        CELEBRATE = "celebrate", _("Bravo")
        INSIGHTFUL = "insightful", _("Insightful")
        SUPPORT = "support", _("Support")
        CURIOUS = "curious", _("Curious")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="reaction_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}@{self.post_id}"


class Follow(models.Model):
    """Following a person, a tag or a community."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, tag__isnull=True, community__isnull=True)
                    | Q(user__isnull=True, tag__isnull=False, community__isnull=True)
                    | Q(user__isnull=True, tag__isnull=True, community__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["follower", "user"],
                name="follow_user_unique",
                condition=Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["follower", "tag"], name="follow_tag_unique", condition=Q(tag__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["follower", "community"],
                name="follow_community_unique",
                condition=Q(community__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id}->{self.user_id or self.tag_id or self.community_id}"


class Notification(models.Model):
    """Something that happened for a person: shown in the app, and e-mailed in digests."""

    class Type(models.TextChoices):
        MENTION = "mention", _("Someone mentioned me")
        COMMENT = "comment", _("A comment on my post")
        REPLY = "reply", _("A reply to my comment")
        REACTION = "reaction", _("A reaction to my post")
        FOLLOW = "follow", _("Someone follows me")
        SHARE = "share", _("My post was shared")
        JOIN_REQUEST = "join_request", _("A request to join my community")
        JOIN_ACCEPTED = "join_accepted", _("My request to join was accepted")
        COMMUNITY_POST = "community_post", _("A new post in a community I animate")
        QUESTION_ROUTED = "question_routed", _("A question I could answer")
        ANSWER = "answer", _("An answer to my question")
        ANSWER_ACCEPTED = "answer_accepted", _("My answer was accepted")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Other apps add their own types (see notifications.register_notification_type), so the
    # column takes any registered code rather than a fixed choice list.
    type = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # For notifications about things other than posts and communities: the line shown, written
    # in the recipient's language when it is created, and the page it links to.
    text = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["emailed_at", "recipient"], name="notif_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.type} for {self.recipient_id}"


class NotificationSettings(models.Model):
    """A person's notification choices: which types, and how often to e-mail a digest."""

    class Digest(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    digest = models.CharField(
        _("e-mail digest"), max_length=12, choices=Digest.choices, default=Digest.DAILY
    )
    muted_types = models.JSONField(_("types I do not want"), default=list, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"


class DailyView(models.Model):
    """One person viewing one object on one day: views are recorded once per day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=48)
    object_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "object_type", "object_id", "day"], name="dailyview_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}:{self.object_id} {self.day}"
