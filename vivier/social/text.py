"""Post text: markdown with #hashtags, @mentions and an article's table of contents."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

from vivier.core.markdown import ALLOWED_TAGS

# A hashtag starts with a letter and may hold letters, digits, "-", "_" and inner dots (#vue.js).
HASHTAG = re.compile(r"(?<![\w&/#])#(\w[\w\-]*(?:\.\w+)*)", re.UNICODE)
# A mention is the local part of a colleague's e-mail address: @camille.martin
MENTION = re.compile(r"(?<![\w/@.])@([a-z0-9][a-z0-9._\-]*[a-z0-9])", re.IGNORECASE)

_md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


@dataclass
class RenderedPost:
    """The safe HTML of a post and what it refers to."""

    html: str
    tags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    toc: list[dict[str, object]] = field(default_factory=list)


def extract_hashtags(text: str) -> list[str]:
    """The distinct hashtags of plain text, in order."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(text or ""):
        seen.setdefault(match.group(1)[:64], None)
    return list(seen)


def extract_mentions(text: str) -> list[str]:
    """The distinct @handles of plain text, lower-cased, in order."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def _link_tokens(
    children: list[Token],
    *,
    tag_url: Callable[[str], str],
    mention_url: Callable[[str], str | None],
) -> list[Token]:
    """Split text tokens so hashtags and known mentions become links (code is left alone)."""
    out: list[Token] = []
    pattern = re.compile(f"{HASHTAG.pattern}|{MENTION.pattern}", re.UNICODE | re.IGNORECASE)
    inside_link = 0
    for token in children:
        if token.type == "link_open":
            inside_link += 1
        elif token.type == "link_close":
            inside_link -= 1
        if token.type != "text" or inside_link:
            out.append(token)
            continue
        text, position = token.content, 0
        for match in pattern.finditer(text):
            tag, handle = match.group(1), match.group(2)
            url = tag_url(tag) if tag else mention_url(handle.lower())
            if not url:
                continue
            if match.start() > position:
                out.append(Token("text", "", 0, content=text[position : match.start()]))
            link = Token("link_open", "a", 1, attrs={"href": url})
            link.attrSet("class", "hashtag" if tag else "mention")
            out += [
                link,
                Token("text", "", 0, content=match.group(0)),
                Token("link_close", "a", -1),
            ]
            position = match.end()
        if position < len(text):
            out.append(Token("text", "", 0, content=text[position:]))
    return out


def render_post(
    body: str,
    *,
    tag_url: Callable[[str], str],
    mention_url: Callable[[str], str | None],
    with_toc: bool = False,
) -> RenderedPost:
    """Render a post's markdown to safe HTML, linking hashtags and mentions."""
    tokens = _md.parse(body or "")
    toc: list[dict[str, object]] = []
    used_anchors: set[str] = set()
    tags: dict[str, None] = {}
    mentions: dict[str, None] = {}
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children is not None:
            for child in token.children:
                if child.type == "text":
                    for tag in extract_hashtags(child.content):
                        tags.setdefault(tag, None)
                    for handle in extract_mentions(child.content):
                        mentions.setdefault(handle, None)
            token.children = _link_tokens(token.children, tag_url=tag_url, mention_url=mention_url)
        if with_toc and token.type == "heading_open" and token.tag in {"h2", "h3"}:
            title = tokens[index + 1].content
            anchor = "s-" + (slugify(title) or "section")
            base, n = anchor, 1
            while anchor in used_anchors:
                n += 1
                anchor = f"{base}-{n}"
            used_anchors.add(anchor)
            token.attrSet("id", anchor)
            toc.append({"level": int(token.tag[1]), "title": title, "anchor": anchor})
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title", "class"}, "h2": {"id"}, "h3": {"id"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return RenderedPost(html=clean, tags=list(tags), mentions=list(mentions), toc=toc)
