"""Who may call the people endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "people:directory": {"GET": "anon,off:login *:200"},
    "people:me": {"GET": "anon,off:login *:302"},
    "people:profile": {"GET": "anon,off:login *:200"},
    "people:profile_edit": {
        "GET": "owner,hr:200 anon,off:login *:403",
        "POST": "owner,hr:422 anon,off:login *:403",
    },
    "people:photo": {"GET": "anon,off:login *:404"},
    "people:photo_upload": {
        "GET": "anon,off:login *:405",
        "POST": "owner,hr:422 anon,off:login *:403",
    },
    "people:endorse": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "people:my_skill_add": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:422"},
    "people:my_skill_level": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "people:my_skill_remove": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "people:skills": {"GET": "anon,off:login *:200"},
    "people:skill_suggest": {"GET": "anon,off:login *:200"},
    "people:skill": {"GET": "anon,off:login *:200"},
    "people:org_chart": {"GET": "anon,off:login *:200"},
    "people:org_unit": {"GET": "anon,off:login *:200"},
    "people:job_map": {"GET": "anon,off:login *:200"},
}

API = {
    "GET /api/v1/me": "anon,off:401 *:200",
    "PATCH /api/v1/me": "anon,off:401 *:200",
    "GET /api/v1/people": "anon,off:401 *:200",
    "GET /api/v1/people/{person_id}": "anon,off:401 *:200",
    "GET /api/v1/skills": "anon,off:401 *:200",
    "GET /api/v1/me/skills": "anon,off:401 *:200",
    "POST /api/v1/me/skills": "anon,off:401 *:422",
    "DELETE /api/v1/me/skills/{skill_id}": "owner:204 anon,off:401 *:404",
    "POST /api/v1/people/{person_id}/skills/{skill_id}/endorsements": "owner:400 anon,off:401 *:201",
    "DELETE /api/v1/people/{person_id}/skills/{skill_id}/endorsements": "anon,off:401 *:404",
    "GET /api/v1/org-units": "anon,off:401 *:200",
    "GET /api/v1/locations": "anon,off:401 *:200",
}
