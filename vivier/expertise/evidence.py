"""How strongly a piece of writing shows that its author knows its topic (docs/expertise.md).

These are the association weights of the document-centric expertise model: one document's
relevance to a query is credited to its author times this weight. They are set from what each
kind of text says about its author, not fitted to a data set.
"""

import math

# An answer is the author's knowledge put to use on someone's problem: the reference.
ANSWER = 1.0
# Accepted by the asker: it solved the problem.
ACCEPTED_BONUS = 0.5
# Votes say others found it right; logarithmic, so that a popular topic does not swamp.
VOTE_FACTOR = 0.1
# An article is long-form knowledge written to be kept.
ARTICLE = 1.0
# An update shows what the author works on, with less depth.
UPDATE = 0.5
# A comment adds to a discussion.
COMMENT = 0.3
# Asking shows interest in the topic, and a need: weak evidence of knowing it.
QUESTION = 0.2


def answer_evidence(*, accepted: bool, score: int) -> float:
    """The weight of an answer, raised by acceptance and up-votes."""
    weight = ANSWER + (ACCEPTED_BONUS if accepted else 0.0)
    return weight + VOTE_FACTOR * math.log1p(max(score, 0))


def post_evidence(kind: str) -> float:
    """The weight of a post of `kind` (update, article or question)."""
    return {"article": ARTICLE, "question": QUESTION}.get(kind, UPDATE)
