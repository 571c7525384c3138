"""The versioned JSON API, mounted at /api/v1/ with its OpenAPI schema and docs."""

from vivier.accounts.auth import api_auth
from vivier.core.api import JsonAPI, install_error_handlers
from vivier.expertise.api import router as expertise_router
from vivier.expertise.skills_api import router as skills_router
from vivier.journey.api import router as journey_router
from vivier.mentoring.api import router as mentoring_router
from vivier.opportunities.api import router as opportunities_router
from vivier.people.api import router as people_router
from vivier.privacy.api import router as privacy_router
from vivier.programme.api import router as programme_router
from vivier.search.api import router as search_router
from vivier.social.api import router as social_router
from vivier.vision.api import router as vision_router
from vivier.voice.api import router as voice_router

api = JsonAPI(
    title="Vivier API",
    version="1",
    description=(
        "Vivier's JSON API. Authenticate with a personal token "
        "(`Authorization: Bearer <token>`, created under *API tokens* or with "
        "`manage.py create_api_token`) or with the browser session. "
        "Errors are JSON objects with a stable `code` and a human `message`."
    ),
    auth=api_auth,
    urls_namespace="api-v1",
)
install_error_handlers(api)
api.add_router("", people_router)
api.add_router("", social_router)
api.add_router("", search_router)
api.add_router("", expertise_router)
api.add_router("", skills_router)
api.add_router("", voice_router)
api.add_router("", mentoring_router)
api.add_router("", opportunities_router)
api.add_router("", programme_router)
api.add_router("", journey_router)
api.add_router("", privacy_router)
api.add_router("", vision_router)
