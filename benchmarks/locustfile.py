"""Locust users for `make loadtest`: signed-in people browsing Vivier and writing through the API.

Started by benchmarks/loadtest.py, which prepares the people (a session cookie and an API token
each, in the JSON file named by VIVIER_LOAD_USERS) and runs gunicorn on loopback.
"""

import itertools
import json
import os
import random
from urllib.parse import quote

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["VIVIER_LOAD_USERS"]).read())  # noqa: SIM115
_NEXT = itertools.count()  # each simulated user takes the next prepared person
WAIT_MIN = float(os.environ.get("VIVIER_LOAD_WAIT_MIN", "15"))
WAIT_MAX = float(os.environ.get("VIVIER_LOAD_WAIT_MAX", "45"))
WORDS = ["migration", "budget", "sécurité", "cloud", "formation", "python", "audit", "data"]
SKILLS = ["Python", "Kubernetes", "Sécurité", "SQL", "Cloud", "Management", "Finance", "Agilité"]
TEXTS = [
    "Retour d'expérience sur la migration : merci à toute l'équipe ! #cloud",
    "Qui est partant pour l'atelier de jeudi sur la sécurité ? #securite",
    "Bonne nouvelle : le tableau de bord est en ligne pour tous les collaborateurs.",
]


class Person(HttpUser):
    """One signed-in person: mostly reads pages, sometimes posts, reacts or comments."""

    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.me = PEOPLE[next(_NEXT) % len(PEOPLE)]
        self.client.cookies.set("sessionid", self.me["session"])
        self.api = {"Authorization": f"Bearer {self.me['token']}"}
        self.people = self.me["people"]
        self.posts = list(self.me["posts"])

    # Reads: the pages people open most.
    @task(6)
    def home(self) -> None:
        self.client.get("/", name="/ (home feed)")

    @task(3)
    def profile(self) -> None:
        self.client.get(f"/people/{random.choice(self.people)}/", name="/people/<id>/")

    @task(2)
    def directory(self) -> None:
        self.client.get(f"/people/?q={quote(random.choice(self.me['names']))}", name="/people/?q=")

    @task(1)
    def experts(self) -> None:
        self.client.get(f"/experts/?q={quote(random.choice(SKILLS))}", name="/experts/?q=")

    @task(1)
    def search(self) -> None:
        self.client.get(f"/search/?q={quote(random.choice(WORDS))}", name="/search/?q=")

    @task(1)
    def opportunities(self) -> None:
        self.client.get("/opportunities/for-me/", name="/opportunities/for-me/")

    # Writes, through the API with the person's token.
    @task(1)
    def post(self) -> None:
        with self.client.post(
            "/api/v1/posts",
            json={"body": random.choice(TEXTS)},
            headers=self.api,
            name="/api/v1/posts",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                self.posts.append(response.json()["id"])
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(2)
    def react(self) -> None:
        self.client.put(
            f"/api/v1/posts/{random.choice(self.posts)}/reaction",
            json={"kind": random.choice(["like", "celebrate", "insightful"])},
            headers=self.api,
            name="/api/v1/posts/<id>/reaction",
        )

    @task(1)
    def comment(self) -> None:
        self.client.post(
            f"/api/v1/posts/{random.choice(self.posts)}/comments",
            json={"body": "Merci pour le partage !"},
            headers=self.api,
            name="/api/v1/posts/<id>/comments",
        )
