"""Who may call the privacy endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "privacy:me": {"GET": "anon,off:login *:200"},
    "privacy:export": {"GET": "anon,off:login *:200"},
    "privacy:admin": {"GET": "hr,it:200 anon,off:login *:403"},
    "privacy:person": {"GET": "hr,it:200 anon,off:login *:403"},
    "privacy:hold": {"GET": "anon,off:login *:405", "POST": "hr,it:422 anon,off:login *:403"},
    "privacy:hold_lift": {"GET": "anon,off:login *:405", "POST": "hr,it:302 anon,off:login *:403"},
    "privacy:erase": {"GET": "anon,off:login *:405", "POST": "hr,it:422 anon,off:login *:403"},
}

API = {
    "GET /api/v1/me/export": "anon,off:401 *:200",
    "POST /api/v1/privacy/people/{person_id}/erase": "hr,it:200 anon,off:401 *:403",
    "PUT /api/v1/privacy/people/{person_id}/legal-hold": "anon,off:401 *:422",
    "DELETE /api/v1/privacy/people/{person_id}/legal-hold": "anon,off:401 hr,it:404 *:403",
    "GET /api/v1/audit/events": "it:200 anon,off:401 *:403",
}
