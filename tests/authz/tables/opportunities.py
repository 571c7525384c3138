"""Who may call the opportunities endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "opportunities:list": {"GET": "anon,off:login *:200"},
    "opportunities:for_me": {"GET": "anon,off:login *:200"},
    "opportunities:new": {"GET": "anon,off:login *:200"},
    "opportunities:mine": {"GET": "anon,off:login *:200"},
    "opportunities:preferences": {"GET": "anon,off:login *:200", "POST": "anon,off:login *:302"},
    "opportunities:dashboard": {"GET": "anon,off:login *:200"},
    "opportunities:detail": {"GET": "anon,off:login *:200"},
    "opportunities:edit": {
        "GET": "owner,hr:200 anon,off:login *:404",
        "POST": "owner,hr:422 anon,off:login *:404",
    },
    "opportunities:apply": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:422"},
    "opportunities:status": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "opportunities:people": {"GET": "owner,hr:200 anon,off:login *:404"},
    "opportunities:decide": {
        "GET": "anon,off:login *:405",
        "POST": "owner,member,hr:302 anon,off:login *:404",
    },
}

API = {
    "GET /api/v1/opportunities": "anon,off:401 *:200",
    "POST /api/v1/opportunities": "anon,off:401 *:422",
    "GET /api/v1/opportunities/for-me": "anon,off:401 *:200",
    "GET /api/v1/opportunities/applications/mine": "anon,off:401 *:200",
    "GET /api/v1/opportunities/applications/to-approve": "anon,off:401 *:200",
    "POST /api/v1/opportunities/applications/{application_id}/decision": "anon,off:401 *:422",
    "GET /api/v1/opportunities/preferences": "anon,off:401 *:200",
    "PUT /api/v1/opportunities/preferences": "anon,off:401 *:200",
    "GET /api/v1/opportunities/dashboard": "anon,off:401 *:200",
    "GET /api/v1/opportunities/{opportunity_id}": "anon,off:401 *:200",
    "PUT /api/v1/opportunities/{opportunity_id}": "anon,off:401 *:422",
    "POST /api/v1/opportunities/{opportunity_id}/status": "anon,off:401 *:422",
    "GET /api/v1/opportunities/{opportunity_id}/people": "owner,hr:200 anon,off:401 *:403",
    "GET /api/v1/opportunities/{opportunity_id}/applications": "owner,hr:200 anon,off:401 *:403",
    "POST /api/v1/opportunities/{opportunity_id}/applications": "anon,off:401 *:422",
}
