"""Inferred skills and the hidden experts report in the JSON API."""

from ninja import Router

router = Router(tags=["skills"])
