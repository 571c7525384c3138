"""Social pages: home feed, posts, comments, communities, tags, follows and notifications."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.core.ids import parse_id
from vivier.people import selectors as people_selectors
from vivier.social import selectors, services
from vivier.social.cards import CardPage, card_page, card_urls, cards_html
from vivier.social.forms import (
    CommentForm,
    CommunityForm,
    NotificationSettingsForm,
    PostEditForm,
    PostForm,
)
from vivier.social.models import Attachment, Comment, Community, Membership, Post
from vivier.social.notifications import (
    notification_mark_read,
    notification_settings_get,
    notification_settings_update,
)
from vivier.social.permissions import (
    can_edit_post,
    can_moderate_post,
    can_post_in,
    can_read_community,
    can_see_community,
    can_view_post,
    is_animator,
    membership_of,
)

FEED_PAGE_SIZE = 20


def _post_or_404(request: HttpRequest, post_id: Any) -> Post:
    try:
        return selectors.post_get(viewer=request.user, post_id=post_id)
    except ApplicationError:
        raise Http404 from None


def _community_or_404(request: HttpRequest, slug: str) -> Community:
    try:
        return selectors.community_get(viewer=request.user, slug_or_id=slug)
    except ApplicationError:
        raise Http404 from None


def _publish(request: HttpRequest, form: PostForm) -> Post | None:
    """Create the post from a valid form, or put the service's refusal on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.post_create(
            actor=request.user,
            body=data["body"],
            kind=data["kind"],
            title=data["title"],
            community=data["community"],
            attachments=data["attachments"],
        )
    except ApplicationError as exc:
        form_add_service_error(form, exc)
        return None


def _feed_context(request: HttpRequest, page: CardPage, **extra: Any) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("cursor", None)
    return {
        "cards_html": cards_html(request, page.cards),
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        **extra,
    }


def home(request: HttpRequest) -> HttpResponse:
    """The home feed with a composer, and what my profile brings me."""
    form = None
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, user=request.user)
        post = _publish(request, form)
        if post is not None:
            messages.success(request, _("Published."))
            return redirect("home")
    page = selectors.feed_home(
        viewer=request.user, cursor=request.GET.get("cursor"), limit=FEED_PAGE_SIZE, pager=card_page
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, "social/partials/_feed_page.html", _feed_context(request, page))
    # Profile, skills, unread count and the composer's communities: one statement.
    facts = selectors.home_facts(viewer=request.user)
    profile, skills = facts.profile, facts.skills
    if form is None:
        form = PostForm(user=request.user, community_choices=facts.extra["communities"])
    completeness = people_selectors.profile_completeness(
        profile=profile,
        skill_count=len(skills),
        top_skill=skills[0].skill.label if skills else None,
    )
    return render(
        request,
        "social/home.html",
        _feed_context(
            request,
            page,
            form=form,
            skills=skills[:6],
            completeness=completeness,
            profile=profile,
            feed="home",
            unread_notifications=facts.extra["unread"],
        ),
        status=422 if form.errors else 200,
    )


def discover(request: HttpRequest) -> HttpResponse:
    """What is active around my skills: a feed for newcomers."""
    page = selectors.feed_discover(
        viewer=request.user, cursor=request.GET.get("cursor"), limit=FEED_PAGE_SIZE, pager=card_page
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, "social/partials/_feed_page.html", _feed_context(request, page))
    return render(request, "social/discover.html", _feed_context(request, page, feed="discover"))


def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post with its comments; viewing it is recorded once a day."""
    post = _post_or_404(request, post_id)
    if post.kind == Post.Kind.QUESTION:
        # A question lives on its own page, with its answers (links to it as a post keep working).
        return redirect("expertise:question", post.pk)
    services.view_record(viewer=request.user, obj=post, target_user=post.author)
    card_urls([post])
    return render(
        request,
        "social/post_detail.html",
        {
            "post": post,
            "comments": selectors.post_comments(post=post),
            "comment_form": CommentForm(),
            "can_edit": can_edit_post(user=request.user, post=post),
            "can_moderate": can_moderate_post(user=request.user, post=post),
            "revisions": post.revisions.select_related("edited_by")[:20] if post.edited_at else [],
        },
    )


def post_new(request: HttpRequest) -> HttpResponse:
    """Write a post or an article on a page of its own."""
    community = None
    if request.GET.get("community"):
        community = _community_or_404(request, request.GET["community"])
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        community=community,
        initial={"kind": request.GET.get("kind", Post.Kind.UPDATE)},
    )
    if request.method == "POST":
        post = _publish(request, form)
        if post is not None:
            return redirect("social:post", post_id=post.pk)
    return render(
        request, "social/post_form.html", {"form": form}, status=422 if form.errors else 200
    )


def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """Edit one's post; the previous version is kept."""
    post = _post_or_404(request, post_id)
    if not can_edit_post(user=request.user, post=post):
        return render(request, "403.html", status=403)
    form = PostEditForm(request.POST or None, initial={"title": post.title, "body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                actor=request.user,
                post=post,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("social:post", post_id=post.pk)
    return render(
        request,
        "social/post_edit.html",
        {"form": form, "post": post},
        status=422 if form.errors else 200,
    )


@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    """Remove a post (author, animator or HR)."""
    post = _post_or_404(request, post_id)
    try:
        services.post_delete(actor=request.user, post=post)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("social:post", post_id=post.pk)
    messages.success(request, _("Post removed."))
    if post.community_id:
        return redirect("social:community", slug=post.community.slug)
    return redirect("home")


@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    """React to a post, change the reaction, or withdraw it."""
    post = _post_or_404(request, post_id)
    kind = request.POST.get("kind", "")
    status = 200
    try:
        if kind == post.my_reaction or kind == "remove":
            services.reaction_remove(actor=request.user, post=post)
        else:
            services.reaction_set(actor=request.user, post=post, kind=kind)
    except ApplicationError as exc:
        status = exc.status
    if not request.htmx:
        return redirect(request.POST.get("next") or reverse("social:post", args=[post.pk]))
    post = _post_or_404(request, post_id)
    card_urls([post])
    return render(
        request,
        "social/partials/_reactions.html",
        {"post": post},
        status=status,
    )


@require_POST
def post_share(request: HttpRequest, post_id: int) -> HttpResponse:
    """Share a public post into one of my communities or my own feed."""
    post = _post_or_404(request, post_id)
    community = None
    if request.POST.get("community"):
        community_id = parse_id(request.POST["community"])
        community = Community.objects.filter(pk=community_id).first() if community_id else None
        if community is None:
            raise Http404
    try:
        shared = services.post_share(
            actor=request.user, post=post, community=community, body=request.POST.get("body", "")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("social:post", post_id=post.pk)
    messages.success(request, _("Shared."))
    return redirect("social:post", post_id=shared.pk)


@require_POST
def comment_add(request: HttpRequest, post_id: int) -> HttpResponse:
    """Comment on a post or reply to a comment (htmx: returns the comments block)."""
    post = _post_or_404(request, post_id)
    form = CommentForm(request.POST)
    status = 200
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], post=post).first()
        try:
            services.comment_create(
                actor=request.user, post=post, body=form.cleaned_data["body"], parent=parent
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = 422
        else:
            form = CommentForm()
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            return redirect(reverse("social:post", args=[post.pk]) + "#comments")
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("social:post", post_id=post.pk)
    post = _post_or_404(request, post_id)
    return render(
        request,
        "social/partials/_comments.html",
        {
            "post": post,
            "comments": selectors.post_comments(post=post),
            "comment_form": form,
        },
        status=status,
    )


@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Remove a comment (author or moderators)."""
    comment = (
        Comment.objects.select_related("post", "post__community").filter(pk=comment_id).first()
    )
    if comment is None or not can_view_post(user=request.user, post=comment.post):
        raise Http404
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(reverse("social:post", args=[comment.post_id]) + "#comments")


def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """Serve an attachment to people who may read its post."""
    item = (
        Attachment.objects.select_related("post", "post__community")
        .filter(pk=attachment_id)
        .first()
    )
    if item is None or not can_view_post(user=request.user, post=item.post):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "application/pdf" if item.kind == Attachment.Kind.PDF else "image/jpeg"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=item.kind == Attachment.Kind.PDF,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def community_list(request: HttpRequest) -> HttpResponse:
    """Communities I may see, mine first."""
    q = request.GET.get("q", "")[:100].replace("\x00", "")
    page = Paginator(selectors.community_list(viewer=request.user, q=q), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "social/community_list.html", {"page": page, "q": q, "query": f"q={q}"})


def community_new(request: HttpRequest) -> HttpResponse:
    """Create a community."""
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("social:community", slug=community.slug)
    return render(
        request,
        "social/community_form.html",
        {"form": form, "community": None},
        status=422 if form.errors else 200,
    )


def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a community's description, rules and visibility (owners and animators)."""
    community = _community_or_404(request, slug)
    if not is_animator(user=request.user, community=community):
        return render(request, "403.html", status=403)
    form = CommunityForm(
        request.POST or None,
        initial={
            "name": community.name,
            "description": community.description,
            "rules": community.rules,
            "visibility": community.visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(
                actor=request.user, community=community, data=form.cleaned_data
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("social:community", slug=community.slug)
    return render(
        request,
        "social/community_form.html",
        {"form": form, "community": community},
        status=422 if form.errors else 200,
    )


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A community: its purpose, rules, feed (for those who may read it) and a composer."""
    community = _community_or_404(request, slug)
    membership = membership_of(user=request.user, community=community)
    readable = can_read_community(user=request.user, community=community)
    page = CardPage(cards=[], next_cursor=None)
    if readable:
        page = card_page(
            selectors.post_list(viewer=request.user, community=community),
            viewer=request.user,
            cursor=request.GET.get("cursor"),
            limit=FEED_PAGE_SIZE,
        )
        if request.htmx and request.GET.get("cursor"):
            return render(request, "social/partials/_feed_page.html", _feed_context(request, page))
    form = None
    if can_post_in(user=request.user, community=community):
        form = PostForm(user=request.user, community=community)
    follows = selectors.follows_of(viewer=request.user)
    return render(
        request,
        "social/community_detail.html",
        _feed_context(
            request,
            page,
            community=community,
            membership=membership,
            readable=readable,
            form=form,
            is_animator=is_animator(user=request.user, community=community),
            following=community.pk in follows["community"],
            pending_count=Membership.objects.filter(
                community=community, status=Membership.Status.PENDING
            ).count()
            if is_animator(user=request.user, community=community)
            else 0,
        ),
    )


@require_POST
def community_membership(request: HttpRequest, slug: str) -> HttpResponse:
    """Join, request to join, or leave a community."""
    community = _community_or_404(request, slug)
    try:
        if request.POST.get("action") == "leave":
            services.community_leave(actor=request.user, community=community)
            messages.success(request, _("You left the community."))
        else:
            membership = services.community_join(actor=request.user, community=community)
            if membership.status == Membership.Status.PENDING:
                messages.success(request, _("Your request was sent to the animators."))
            else:
                messages.success(request, _("Welcome to the community."))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    request.user.__dict__.pop("_membership_cache", None)
    if not can_see_community(user=request.user, community=community):
        return redirect("social:communities")
    return redirect("social:community", slug=community.slug)


def community_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Members (and pending requests, for animators), with role management for owners."""
    community = _community_or_404(request, slug)
    animator = is_animator(user=request.user, community=community)
    if request.method == "POST":
        if not animator:
            return render(request, "403.html", status=403)
        action = request.POST.get("action")
        user_id = request.POST.get("user")
        try:
            if action in {"accept", "refuse"}:
                services.membership_decide(
                    actor=request.user,
                    community=community,
                    user_id=user_id,
                    accept=action == "accept",
                )
            elif action == "role":
                services.membership_set_role(
                    actor=request.user,
                    community=community,
                    user_id=user_id,
                    role=request.POST.get("role", ""),
                )
            elif action == "add":
                person = User.objects.filter(
                    email__iexact=request.POST.get("email", "").strip(), is_active=True
                ).first()
                if person is None:
                    raise ApplicationError(
                        "person_not_found", _("No active person has this e-mail address.")
                    )
                services.membership_add(actor=request.user, community=community, user=person)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        return redirect("social:community_members", slug=community.slug)
    members = selectors.community_members(viewer=request.user, community=community)
    pending = (
        selectors.community_members(
            viewer=request.user, community=community, status=Membership.Status.PENDING
        )
        if animator
        else []
    )
    mine = membership_of(user=request.user, community=community)
    return render(
        request,
        "social/community_members.html",
        {
            "community": community,
            "members": members,
            "pending": pending,
            "animator": animator,
            "is_owner": mine is not None and mine.role == Membership.Role.OWNER,
            "roles": Membership.Role.choices,
        },
    )


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Posts with a hashtag, and the skill it stands for."""
    try:
        tag = selectors.tag_get(name=name)
    except ApplicationError:
        raise Http404 from None
    page = card_page(
        selectors.post_list(viewer=request.user, tag=tag),
        viewer=request.user,
        cursor=request.GET.get("cursor"),
        limit=FEED_PAGE_SIZE,
    )
    if request.htmx and request.GET.get("cursor"):
        return render(request, "social/partials/_feed_page.html", _feed_context(request, page))
    follows = selectors.follows_of(viewer=request.user)
    return render(
        request,
        "social/tag_detail.html",
        _feed_context(request, page, tag=tag, following=tag.pk in follows["tag"]),
    )


@require_POST
def follow_toggle(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Follow or stop following a person, a tag or a community."""
    target: dict[str, Any] = {}
    if kind == "person" and parse_id(key):
        target["user"] = User.objects.filter(pk=parse_id(key), is_active=True).first()
    elif kind == "tag":
        try:
            target["tag"] = selectors.tag_get(name=key)
        except ApplicationError:
            target["tag"] = None
    elif kind == "community":
        target["community"] = _community_or_404(request, key)
    if not target or next(iter(target.values())) is None:
        raise Http404
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(actor=request.user, **target)
        else:
            services.follow(actor=request.user, **target)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(request.POST.get("next") or "home")


def notification_list(request: HttpRequest) -> HttpResponse:
    """My notifications, newest first; opening the page marks them read."""
    page = Paginator(selectors.notification_list(viewer=request.user), 30).get_page(
        request.GET.get("page")
    )
    response = render(request, "social/notifications.html", {"page": page, "query": ""})
    notification_mark_read(
        user=request.user, notification_ids=[n.pk for n in page.object_list if n.read_at is None]
    )
    return response


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all my notifications read."""
    notification_mark_read(user=request.user)
    return redirect("social:notifications")


def notification_settings(request: HttpRequest) -> HttpResponse:
    """Choose the digest frequency and the notifications I want."""
    prefs = notification_settings_get(user=request.user)
    form = NotificationSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        notification_settings_update(
            user=request.user,
            digest=form.cleaned_data["digest"],
            muted_types=form.cleaned_data["muted_types"],
        )
        messages.success(request, _("Notification settings saved."))
        return redirect("social:notification_settings")
    return render(
        request,
        "social/notification_settings.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
