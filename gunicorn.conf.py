"""Gunicorn settings for Vivier (`make serve`); every value can be changed from the environment.

gunicorn -c gunicorn.conf.py vivier.wsgi:application
"""

import os

# Workers: synchronous processes, (2 x CPUs) + 1 by default, the usual figure for a web app
# that waits on its database about half the time. WEB_CONCURRENCY overrides it (12-factor).
_cpus = os.cpu_count() or 1
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cpus + 1))
# Threads per worker: 1 keeps one database connection per worker (conn_max_age reuses it).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Behind a reverse proxy, which terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Load Django once in the master and fork: workers share its memory pages (copy-on-write) and
# start faster. Database connections are opened lazily, after the fork, so none is shared.
preload_app = True

# A request taking longer than this is killed and its worker replaced (a stuck query or loop);
# the slowest pages take about a second on a loaded machine.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak cannot grow without bound; the jitter keeps
# them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Access log to stdout, without the query string: it can carry secrets (password reset and
# invitation tokens, search terms about people). %(U)s is the path alone.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Never log request headers (cookies, Authorization: Bearer ...).
proc_name = "vivier"
# No control socket: its default path in the home directory would be shared by every instance.
control_socket_disable = True


def when_ready(server):
    """Import every URLconf (and the API's schemas) in the master, before the workers fork.

    Django loads URLconfs on the first request; with the JSON API's schemas that takes seconds,
    far more on a busy machine, and a worker's first request could hit the timeout. Done here,
    each worker starts with them in its (shared) memory.
    """
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    connections.close_all()  # no connection may be shared with the forked workers
