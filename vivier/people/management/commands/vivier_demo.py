"""manage.py vivier_demo --people N --seed S [--posts P]: build the demo company and its social life."""

import time

from django.core.management.base import BaseCommand, CommandParser

from vivier.accounts.models import User
from vivier.expertise.demo import QADemoBuilder
from vivier.expertise.inference import infer_skills
from vivier.integration.demo import IntegrationDemoBuilder
from vivier.journey.demo import JourneyDemoBuilder, stages_now
from vivier.mentoring.demo import MentoringDemoBuilder
from vivier.opportunities.demo import OpportunitiesDemoBuilder
from vivier.people.demo import ADMIN_EMAIL, DEMO_PASSWORD, DemoBuilder
from vivier.privacy.demo import PrivacyDemoBuilder
from vivier.programme.demo import ProgrammeDemoBuilder
from vivier.search.services import search_rebuild
from vivier.social.demo import SocialDemoBuilder
from vivier.vision.demo import VisionDemoBuilder
from vivier.voice.demo import VoiceDemoBuilder

# A few thousand posts for 300 people: a living year, loaded in well under a minute.
POSTS_PER_PERSON = 6


class Command(BaseCommand):
    help = "Build a plausible French demo company, deterministic for a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--posts",
            type=int,
            default=None,
            help=f"Posts to publish (default: {POSTS_PER_PERSON} per person; 0: no social layer).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people.",
        )
        parser.add_argument(
            "--print-password", action="store_true", help="Print the demo password and stop."
        )

    def handle(
        self,
        *args: object,
        people: int,
        seed: int,
        posts: int | None,
        if_empty: bool,
        print_password: bool,
        **options: object,
    ) -> None:
        if print_password:
            self.stdout.write(DEMO_PASSWORD)
            return
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people: demo not loaded.")
            return
        if User.objects.exclude(email=ADMIN_EMAIL).exists():
            self.stderr.write("The database already has people: use a fresh database.")
            return
        started = time.perf_counter()
        self.stdout.write(f"Building the demo company ({people} people, seed {seed})…")
        counts = DemoBuilder(people=people, seed=seed, stdout=self.stdout).build()
        self.stdout.write(
            f"Company built in {time.perf_counter() - started:.1f} s: {counts['people']} people, "
            f"{counts['units']} units, {counts['skills']} declared skills, "
            f"{counts['endorsements']} endorsements."
        )
        posts = POSTS_PER_PERSON * counts["people"] if posts is None else max(posts, 0)
        if posts:
            social_started = time.perf_counter()
            self.stdout.write(f"Bringing it to life ({posts} posts)…")
            social = SocialDemoBuilder(seed=seed, posts=posts, stdout=self.stdout).build()
            self.stdout.write(
                f"Social layer built in {time.perf_counter() - social_started:.1f} s: "
                f"{social['communities']} communities ({social['memberships']} memberships, "
                f"{social['pending']} pending requests), {social['posts']} posts "
                f"({social['articles']} articles, {social['english']} in English, "
                f"{social['shares']} shares), {social['comments']} comments, "
                f"{social['reactions']} reactions, {social['follows']} follows, "
                f"{social['tags']} tags, {social['notifications']} notifications."
            )
            qa_started = time.perf_counter()
            questions = max(counts["people"] // 3, 1)
            qa = QADemoBuilder(seed=seed, questions=questions).build()
            self.stdout.write(
                f"Questions and answers built in {time.perf_counter() - qa_started:.1f} s: "
                f"{qa['questions']} questions, {qa['answers']} answers ({qa['accepted']} "
                f"accepted), {qa['labels']} Expert labels."
            )
        mentoring_started = time.perf_counter()
        mentoring = MentoringDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Mentoring built in {time.perf_counter() - mentoring_started:.1f} s: "
            f"{mentoring['mentors']} mentors, {mentoring['mentees']} mentees, "
            f"{mentoring['pairs']} running or past pairs ({mentoring['reverse_pairs']} reverse), "
            f"{mentoring['programmes']} programmes, {mentoring['sessions']} sessions."
        )
        opportunities_started = time.perf_counter()
        market = OpportunitiesDemoBuilder(
            seed=seed, opportunities=max(counts["people"] // 8, 1)
        ).build()
        self.stdout.write(
            f"Opportunities built in {time.perf_counter() - opportunities_started:.1f} s: "
            f"{market['opportunities']} opportunities, {market['preferences']} mobility "
            f"preferences, {market['applications']} applications."
        )
        programme_started = time.perf_counter()
        programme = ProgrammeDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Expert programme built in {time.perf_counter() - programme_started:.1f} s: "
            f"{programme['domains']} domains, {programme['nominations']} nominations, "
            f"{programme['awards']} awards ({programme['renewals']} renewal due), "
            f"{programme['events']} events."
        )
        privacy_started = time.perf_counter()
        privacy = PrivacyDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Audit log and privacy built in {time.perf_counter() - privacy_started:.1f} s: "
            f"{privacy['audit_events']} audit events, {privacy['holds']} legal hold, "
            f"{privacy['erasures']} former employee erased."
        )
        # The people were bulk-created and the posts re-dated: index everything as it now is.
        indexed = search_rebuild()
        self.stdout.write(f"Search index built: {sum(indexed.values())} entries.")
        # What the nightly task would find: skills people's writing shows and they did not declare.
        inferred = infer_skills()
        self.stdout.write(f"Skills inferred from writing: {inferred}.")
        voice_started = time.perf_counter()
        voice = VoiceDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Employee voice built in {time.perf_counter() - voice_started:.1f} s: "
            f"{voice['surveys']} surveys ({voice['waves']} waves, {voice['respondents']} "
            f"anonymous responses), {voice['ideas']} ideas, {voice['commitments']} commitments."
        )
        integration = IntegrationDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Integration: {integration['identities']} people provisioned over SCIM, "
            f"{integration['groups']} SCIM groups, {integration['former']} former employee."
        )
        journey_started = time.perf_counter()
        journey = JourneyDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Adoption journey built in {time.perf_counter() - journey_started:.1f} s: "
            f"{journey['events']} sign-ins and views, {journey['days']} snapshot days "
            f"({journey['snapshots']} snapshots, {journey['runs']} playbook runs); today: "
            + ", ".join(f"{stage} {n}" for stage, n in stages_now().items())
            + "."
        )
        vision_started = time.perf_counter()
        vision = VisionDemoBuilder(seed=seed).build()
        self.stdout.write(
            f"Vision map built in {time.perf_counter() - vision_started:.1f} s: "
            f"{vision['axes']} axes, {vision['objectives']} objectives, "
            f"{vision['indicators']} indicators, {vision.get('links', 0)} links to everyday work."
        )
        self.stdout.write(
            f"Demo ready in {time.perf_counter() - started:.1f} s. "
            f"Sign in as {ADMIN_EMAIL} / {DEMO_PASSWORD}."
        )
