"""gunicorn settings for production, read by `make bench` too (the app and its hello-world ceiling).

gunicorn reads this file from the working directory; command-line options override it, e.g.
`gunicorn --workers 4 --bind 0.0.0.0:8000 wsgi:app`. `WEB_CONCURRENCY` sets the worker count.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Sync workers, one request at a time per process: the app is CPU-bound (the database is a
# fraction of each request), so threads only contend for the GIL. Measured on 2 cores with the
# bench's wrk scenarios: gthread (2 or 4 threads) served the question page at about 40% of the
# sync rate and no app page faster; only the hello-world page gained, from keep-alive.
# Keep-alive and slow clients are the reverse proxy's job (nginx buffers requests and responses).
worker_class = "sync"


def post_worker_init(worker):
    """Move everything loaded at start-up out of the garbage collector's sight.

    Requests allocate many short-lived objects; without this every full collection also walks
    the ~150,000 long-lived objects of the loaded app and its libraries (measured: 10% of CPU
    time and most of the p99 under load).
    """
    gc.collect()
    gc.freeze()
