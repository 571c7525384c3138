"""Who may call the journey endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "journey:me": {"GET": "anon,off:login *:200"},
    "journey:person": {"GET": "owner,hr:200 anon,off:login *:403"},
    "journey:funnel": {"GET": "manager,hr:200 anon,off:login *:403"},
    "journey:transitions": {"GET": "manager,hr:200 anon,off:login *:403"},
    "journey:playbooks": {"GET": "hr:200 anon,off:login *:403"},
    "journey:tasks": {"GET": "anon,off:login *:200"},
    "journey:task_done": {
        "GET": "anon,off:login *:405",
        "POST": "manager:302 anon,off:login *:404",
    },
    "journey:tip_dismiss": {
        "GET": "anon,off:login *:405",
        "POST": "owner:302 anon,off:login *:404",
    },
    "journey:preferences": {"GET": "anon,off:login *:200", "POST": "anon,off:login *:302"},
    "journey:unsubscribe": {"GET": "*:200"},
    "journey:ambassador": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "journey:invite": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "journey:kudos": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
}

API = {
    "GET /api/v1/journey/me": "anon,off:401 *:200",
    "GET /api/v1/journey/people/{person_id}": "owner,hr:200 anon,off:401 *:403",
    "GET /api/v1/journey/funnel": "manager,hr:200 anon,off:401 *:403",
    "GET /api/v1/journey/transitions": "anon,off:401 *:422",
    "GET /api/v1/journey/playbooks": "hr:200 anon,off:401 *:403",
    "GET /api/v1/journey/kudos": "anon,off:401 *:200",
    "POST /api/v1/journey/kudos": "anon,off:401 *:422",
    "POST /api/v1/journey/ambassador": "anon,off:401 *:422",
    "POST /api/v1/journey/invitations": "anon,off:401 *:422",
    "GET /api/v1/journey/preferences": "anon,off:401 *:200",
    "PUT /api/v1/journey/preferences": "anon,off:401 *:422",
    "GET /api/v1/journey/tasks": "anon,off:401 *:200",
}
