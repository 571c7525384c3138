"""Who may call the expertise endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "expertise:questions": {"GET": "anon,off:login *:200"},
    "expertise:question_new": {"GET": "anon,off:login *:200"},
    "expertise:question_suggest": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:200"},
    "expertise:question": {
        "GET": {"public": "anon,off:login *:200", "secret": "owner,member:200 anon,off:login *:404"}
    },
    "expertise:answer_add": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:question_comment": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:question_delete": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:answer_edit": {
        "GET": {
            "public": "owner:200 anon,off:login *:403",
            "secret": "member:200 owner:403 anon,off:login *:404",
        }
    },
    "expertise:answer_delete": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:answer_accept": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:answer_vote": {
        "GET": {"public": "anon,off:login *:405", "secret": "anon,off:login *:405"},
        "POST": {
            "public": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "expertise:experts": {"GET": "anon,off:login *:200"},
    "expertise_skills:suggestion_confirm": {
        "GET": "anon,off:login *:405",
        "POST": "anon,off:login *:302",
    },
    "expertise_skills:suggestion_hide": {
        "GET": "anon,off:login *:405",
        "POST": "anon,off:login *:302",
    },
    "expertise_skills:hidden_experts": {"GET": "hr:200 anon,off:login *:403"},
}

API = {
    "GET /api/v1/experts": "anon,off:401 *:400",
    "GET /api/v1/questions/suggest-experts": "anon,off:401 *:400",
    "GET /api/v1/questions": "anon,off:401 *:200",
    "POST /api/v1/questions": "anon,off:401 *:422",
    "GET /api/v1/questions/{question_id}": {
        "public": "anon,off:401 *:200",
        "secret": "owner,member:200 anon,off:401 *:404",
    },
    "POST /api/v1/questions/{question_id}/answers": {
        "public": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
    "PATCH /api/v1/answers/{answer_id}": {
        "public": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
    "DELETE /api/v1/answers/{answer_id}": {
        "public": "owner,hr:204 anon,off:401 *:403",
        "secret": "owner,member:204 anon,off:401 *:404",
    },
    "POST /api/v1/answers/{answer_id}/accept": {
        "public": "owner:200 anon,off:401 *:403",
        "secret": "owner:200 anon,off:401 member:403 *:404",
    },
    "DELETE /api/v1/answers/{answer_id}/accept": {
        "public": "owner:200 anon,off:401 *:403",
        "secret": "owner:200 anon,off:401 member:403 *:404",
    },
    "PUT /api/v1/answers/{answer_id}/vote": {
        "public": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
}
