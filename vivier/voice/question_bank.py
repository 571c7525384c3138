"""Standard questions HR can pick when writing a survey (later features refer to their codes)."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

# A later vision-map feature reads answers to this question by its code.
VISION_CONTRIBUTION = "vision_contribution"


@dataclass(frozen=True)
class QuestionTemplate:
    """A reusable question: its code, kind, French and English text, theme and choices."""

    code: str
    kind: str
    text_fr: str
    text_en: str
    theme: str
    choices: list[dict[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "fr").startswith("en") else self.text_fr


QUESTION_TEMPLATES: list[QuestionTemplate] = [
    QuestionTemplate(
        VISION_CONTRIBUTION,
        "likert",
        "Je comprends comment mon travail contribue à la vision.",
        "I understand how my work contributes to the vision.",
        "vision",
    ),
    QuestionTemplate(
        "enps",
        "enps",
        "Recommanderiez-vous l'entreprise comme employeur à un proche ?",
        "How likely are you to recommend the company as an employer to a friend?",
        "engagement",
    ),
    QuestionTemplate(
        "manager_support",
        "likert",
        "Mon manager me soutient quand j'en ai besoin.",
        "My manager supports me when I need it.",
        "management",
    ),
    QuestionTemplate(
        "workload",
        "likert",
        "Ma charge de travail est soutenable.",
        "My workload is sustainable.",
        "workload",
    ),
    QuestionTemplate(
        "recognition",
        "likert",
        "Mon travail est reconnu à sa juste valeur.",
        "My work is recognised at its true value.",
        "recognition",
    ),
    QuestionTemplate(
        "growth",
        "likert",
        "J'ai les moyens de développer mes compétences.",
        "I have the means to develop my skills.",
        "growth",
    ),
    QuestionTemplate(
        "collaboration_channels",
        "multiple",
        "Quels moyens vous aident le plus à collaborer ?",
        "Which channels help you most to collaborate?",
        "collaboration",
        [
            {"fr": "Réunions d'équipe", "en": "Team meetings"},
            {"fr": "Communautés", "en": "Communities"},
            {"fr": "Messagerie", "en": "Chat"},
            {"fr": "Questions-réponses", "en": "Q&A"},
        ],
    ),
    QuestionTemplate(
        "suggestion",
        "text",
        "Qu'est-ce qui améliorerait votre quotidien au travail ?",
        "What would improve your daily work?",
        "wellbeing",
    ),
]

TEMPLATES_BY_CODE = {t.code: t for t in QUESTION_TEMPLATES}
