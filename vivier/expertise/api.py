"""Q&A and expert finding in the JSON API."""

from ninja import Router

router = Router(tags=["expertise"])
