"""Who may call the search endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {"search:search": {"GET": "anon,off:login *:200"}}

API = {"GET /api/v1/search": "anon,off:401 *:200"}
