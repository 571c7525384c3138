"""Who may call the social endpoints: recorded from the running code, then reviewed for leaks (2026-11-23).

Format and roles: tests/authz/test_matrix.py. `login` is a redirect to the sign-in page.
"""

HTML = {
    "social:discover": {"GET": "anon,off:login *:200"},
    "social:post_new": {"GET": "anon,off:login *:200"},
    "social:post": {
        "GET": {
            "public": "anon,off:login *:200",
            "closed": "owner,member:200 anon,off:login *:404",
            "secret": "owner,member:200 anon,off:login *:404",
        }
    },
    "social:post_edit": {
        "GET": {
            "public": "owner:200 anon,off:login *:403",
            "closed": "owner:200 member:403 anon,off:login *:404",
            "secret": "owner:200 member:403 anon,off:login *:404",
        }
    },
    "social:post_delete": {
        "GET": {
            "public": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "public": "anon,off:login *:302",
            "closed": "owner,member:302 anon,off:login *:404",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:post_react": {
        "GET": {
            "public": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "public": "anon,off:login *:302",
            "closed": "owner,member:302 anon,off:login *:404",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:post_share": {
        "GET": {
            "public": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "public": "anon,off:login *:302",
            "closed": "owner,member:302 anon,off:login *:404",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:comment_add": {
        "GET": {
            "public": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "public": "anon,off:login *:302",
            "closed": "owner,member:302 anon,off:login *:404",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:comment_delete": {
        "GET": {
            "public": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "public": "anon,off:login *:302",
            "closed": "owner,member:302 anon,off:login *:404",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:attachment": {"GET": "owner,member:200 anon,off:login *:404"},
    "social:communities": {"GET": "anon,off:login *:200"},
    "social:community_new": {"GET": "anon,off:login *:200"},
    "social:community": {
        "GET": {
            "open": "anon,off:login *:200",
            "closed": "anon,off:login *:200",
            "secret": "owner,member:200 anon,off:login *:404",
        }
    },
    "social:community_edit": {
        "GET": {
            "open": "owner:200 anon,off:login *:403",
            "closed": "owner:200 anon,off:login *:403",
            "secret": "owner:200 member:403 anon,off:login *:404",
        }
    },
    "social:community_membership": {
        "GET": {
            "open": "anon,off:login *:405",
            "closed": "anon,off:login *:405",
            "secret": "anon,off:login *:405",
        },
        "POST": {
            "open": "anon,off:login *:302",
            "closed": "anon,off:login *:302",
            "secret": "owner,member:302 anon,off:login *:404",
        },
    },
    "social:community_members": {
        "GET": {
            "open": "anon,off:login *:200",
            "closed": "anon,off:login *:200",
            "secret": "owner,member:200 anon,off:login *:404",
        },
        "POST": {
            "open": "owner:302 anon,off:login *:403",
            "closed": "owner:302 anon,off:login *:403",
            "secret": "owner:302 member:403 anon,off:login *:404",
        },
    },
    "social:tag": {"GET": "anon,off:login *:200"},
    "social:follow": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "social:notifications": {"GET": "anon,off:login *:200"},
    "social:notifications_read": {"GET": "anon,off:login *:405", "POST": "anon,off:login *:302"},
    "social:notification_settings": {"GET": "anon,off:login *:200"},
}

API = {
    "GET /api/v1/feed": "anon,off:401 *:200",
    "GET /api/v1/feed/discover": "anon,off:401 *:200",
    "GET /api/v1/posts": "anon,off:401 *:200",
    "POST /api/v1/posts": "anon,off:401 *:422",
    "GET /api/v1/posts/{post_id}": {
        "public": "anon,off:401 *:200",
        "closed": "owner,member:200 anon,off:401 *:404",
        "secret": "owner,member:200 anon,off:401 *:404",
    },
    "PATCH /api/v1/posts/{post_id}": {
        "public": "anon,off:401 *:422",
        "closed": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
    "DELETE /api/v1/posts/{post_id}": {
        "public": "owner,hr:204 anon,off:401 *:403",
        "closed": "owner:204 anon,off:401 member:403 *:404",
        "secret": "owner:204 anon,off:401 member:403 *:404",
    },
    "POST /api/v1/posts/{post_id}/share": {
        "public": "anon,off:401 *:201",
        "closed": "anon,off:401 owner,member:403 *:404",
        "secret": "anon,off:401 owner,member:403 *:404",
    },
    "GET /api/v1/posts/{post_id}/comments": {
        "public": "anon,off:401 *:200",
        "closed": "owner,member:200 anon,off:401 *:404",
        "secret": "owner,member:200 anon,off:401 *:404",
    },
    "POST /api/v1/posts/{post_id}/comments": {
        "public": "anon,off:401 *:422",
        "closed": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
    "DELETE /api/v1/comments/{comment_id}": {
        "public": "owner,hr:204 anon,off:401 *:403",
        "closed": "owner:204 anon,off:401 member:403 *:404",
        "secret": "owner:204 anon,off:401 member:403 *:404",
    },
    "PUT /api/v1/posts/{post_id}/reaction": {
        "public": "anon,off:401 *:422",
        "closed": "anon,off:401 *:422",
        "secret": "anon,off:401 *:422",
    },
    "DELETE /api/v1/posts/{post_id}/reaction": {
        "public": "anon,off:401 *:404",
        "closed": "anon,off:401 *:404",
        "secret": "anon,off:401 *:404",
    },
    "GET /api/v1/communities": "anon,off:401 *:200",
    "POST /api/v1/communities": "anon,off:401 *:422",
    "GET /api/v1/communities/{community_id}": {
        "open": "anon,off:401 *:200",
        "closed": "anon,off:401 *:200",
        "secret": "owner,member:200 anon,off:401 *:404",
    },
    "POST /api/v1/communities/{community_id}/join": {
        "open": "anon,off:401 owner,member:409 *:201",
        "closed": "anon,off:401 owner,member:409 *:201",
        "secret": "anon,off:401 owner,member:409 *:404",
    },
    "POST /api/v1/communities/{community_id}/leave": {
        "open": "member:204 owner:400 anon,off:401 *:404",
        "closed": "member:204 owner:400 anon,off:401 *:404",
        "secret": "member:204 owner:400 anon,off:401 *:404",
    },
    "GET /api/v1/communities/{community_id}/members": {
        "open": "anon,off:401 *:200",
        "closed": "anon,off:401 *:200",
        "secret": "owner,member:200 anon,off:401 *:404",
    },
    "GET /api/v1/follows": "anon,off:401 *:200",
    "POST /api/v1/follows/{kind}/{key}": "anon,off:401 *:422",
    "DELETE /api/v1/follows/{kind}/{key}": "anon,off:401 *:422",
    "GET /api/v1/notifications": "anon,off:401 *:200",
    "POST /api/v1/notifications/read": "anon,off:401 *:200",
}
