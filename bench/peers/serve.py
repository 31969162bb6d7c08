"""Serve one system's WSGI application with waitress, the same way for every system of the peers bench.

    python serve.py foodcommons|pygeoapi PORT THREADS

Run by the interpreter of the system served (the project's for foodcommons, the peers' environment for
pygeoapi), with that system's environment variables already set by bench/peers/run.py.
"""

import sys

# What every system gets: one process, THREADS worker threads, poll() (as `foodcommons serve`), the
# default connection limit and backlog of waitress.
WAITRESS_OPTIONS = {"asyncore_use_poll": True, "connection_limit": 100, "backlog": 1024, "channel_timeout": 120}


def application_of(system: str):
    """Return the WSGI application of `system`."""
    if system == "foodcommons":
        from foodcommons.wsgi import application  # settles the process as in production

        return application
    if system == "pygeoapi":
        from pygeoapi.flask_app import APP

        return APP
    raise SystemExit(f"unknown system {system!r}")


def main() -> None:
    system, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    application = application_of(system)
    import waitress

    waitress.serve(application, host="127.0.0.1", port=port, threads=threads, ident=system, **WAITRESS_OPTIONS)


if __name__ == "__main__":
    main()
