"""Who may call the vision endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "vision:map": {"GET": "anon,off:login *:200"},
    "vision:statement": {"GET": "hr:200 anon,off:login *:403"},
    "vision:axis_new": {"GET": "hr:200 anon,off:login *:403"},
    "vision:axis_edit": {"GET": "hr:200 anon,off:login *:403"},
    "vision:objective_new": {"GET": "hr:200 anon,off:login *:403"},
    "vision:objective": {"GET": "anon,off:login *:200"},
    "vision:objective_edit": {"GET": "owner,hr:200 anon,off:login *:403"},
    "vision:indicator_new": {
        "GET": "anon,off:login *:405",
        "POST": "owner,hr:422 anon,off:login *:403",
    },
    "vision:indicator_edit": {"GET": "owner,hr:200 anon,off:login *:403"},
    "vision:links": {
        "GET": {
            "public": "anon,off:login *:200",
            "closed": "owner,member:200 anon,off:login *:404",
            "secret": "owner,member:200 anon,off:login *:404",
        },
        "POST": {
            "public": "anon,off:login *:422",
            "closed": "owner,member:422 anon,off:login *:404",
            "secret": "owner,member:422 anon,off:login *:404",
        },
    },
    "vision:link_delete": {
        "GET": "anon,off:login *:405",
        "POST": "owner,hr:302 anon,off:login *:403",
    },
    "vision:me": {"GET": "anon,off:login *:200"},
    "vision:coverage": {"GET": "manager,hr:200 anon,off:login *:403"},
}

API = {
    "GET /api/v1/vision/map": "anon,off:401 *:200",
    "PUT /api/v1/vision/statement": "anon,off:401 *:422",
    "GET /api/v1/vision/axes": "anon,off:401 *:200",
    "POST /api/v1/vision/axes": "anon,off:401 *:422",
    "PATCH /api/v1/vision/axes/{axis_id}": "anon,off:401 *:422",
    "GET /api/v1/vision/objectives": "anon,off:401 *:200",
    "POST /api/v1/vision/objectives": "anon,off:401 *:422",
    "GET /api/v1/vision/objectives/{objective_id}": "anon,off:401 *:200",
    "PATCH /api/v1/vision/objectives/{objective_id}": "anon,off:401 owner,hr:422 *:403",
    "DELETE /api/v1/vision/objectives/{objective_id}": "hr:204 anon,off:401 *:403",
    "POST /api/v1/vision/objectives/{objective_id}/indicators": "anon,off:401 *:422",
    "PATCH /api/v1/vision/indicators/{indicator_id}": "owner,hr:200 anon,off:401 *:403",
    "DELETE /api/v1/vision/indicators/{indicator_id}": "owner,hr:204 anon,off:401 *:403",
    "GET /api/v1/vision/objectives/{objective_id}/items": "anon,off:401 *:200",
    "GET /api/v1/vision/links": "anon,off:401 *:422",
    "POST /api/v1/vision/links": "anon,off:401 *:422",
    "DELETE /api/v1/vision/links/{link_id}": "owner,hr:204 anon,off:401 *:403",
    "GET /api/v1/vision/suggestions": "anon,off:401 *:422",
    "GET /api/v1/vision/me": "anon,off:401 *:200",
    "GET /api/v1/vision/coverage": "manager,hr:200 anon,off:401 *:403",
}
