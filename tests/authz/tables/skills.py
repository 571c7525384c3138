"""Who may call the skills endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {}

API = {
    "GET /api/v1/me/skill-suggestions": "anon,off:401 *:200",
    "POST /api/v1/me/skill-suggestions/{skill_id}/confirm": "anon,off:401 *:404",
    "POST /api/v1/me/skill-suggestions/{skill_id}/hide": "anon,off:401 *:404",
    "GET /api/v1/reports/hidden-experts": "hr:200 anon,off:401 *:403",
}
