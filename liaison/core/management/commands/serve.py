"""`liaison serve`: the production WSGI server (waitress, in one process per core) with the static files served by
WhiteNoise."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from liaison.core.middleware import REQUEST_TOO_LARGE
from liaison.core.prefork import Prefork, listening_socket, usable_cores
from liaison.keys.store import keys_check
from liaison.wsgi import application


class TooLargeTask(WSGITask):
    """A body over the server's limit is refused without being read, by the product itself: the application
    answers (413, in the reader's language, JSON under the API) instead of waitress's bare text/plain line."""

    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ.update({REQUEST_TOO_LARGE: True, "CONTENT_LENGTH": "0", "wsgi.input": BytesIO(b"")})
        return environ

    def execute(self) -> None:
        self.set_close_on_finish()  # the unread body must not be taken for the next request
        super().execute()


def error_task(channel: Any, request: Any) -> ErrorTask | WSGITask:
    if isinstance(request.error, RequestEntityTooLarge):
        return TooLargeTask(channel, request)
    return ErrorTask(channel, request)


class LiaisonChannel(HTTPChannel):
    error_task_class = staticmethod(error_task)


class Command(BaseCommand):
    help = "Serve Liaison with waitress on LIAISON_HOST:LIAISON_PORT, in LIAISON_PROCESSES processes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=settings.LIAISON_HOST)
        parser.add_argument("--port", type=int, default=settings.LIAISON_PORT)
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.LIAISON_PROCESSES or usable_cores(),
            help="Server processes sharing the port (default: LIAISON_PROCESSES, else one per usable core).",
        )
        parser.add_argument("--threads", type=int, default=settings.LIAISON_THREADS, help="Threads per process.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start `liaison worker` beside the server (run it yourself, e.g. as its own service).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            keys_check()  # a private key open to other users stops the start, not the first signature
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if options["processes"] < 1 or options["threads"] < 1:
            raise CommandError("--processes and --threads must be at least 1.")
        try:
            sock = listening_socket(options["host"], options["port"])
        except OSError as exc:
            raise CommandError(f"Cannot listen on {options['host']}:{options['port']}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Liaison is serving on http://{options['host']}:{options['port']}/ "
            f"({options['processes']} processes of {options['threads']} threads)",
            ending="\n",
        )
        self.stdout.flush()
        adjustments: dict[str, Any] = {
            "threads": options["threads"],
            "ident": "Liaison",
            "max_request_body_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            "inbuf_overflow": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,  # bodies stay in memory: no clear temp file
            # A connection idle this long is closed; a request reaches a thread only once fully read.
            "channel_timeout": settings.LIAISON_CHANNEL_TIMEOUT,
            "connection_limit": settings.LIAISON_CONNECTION_LIMIT,
        }
        if settings.SECURE_PROXY_SSL_HEADER:
            # Behind the TLS-terminating reverse proxy: waitress takes the client address and scheme from the
            # proxy's X-Forwarded-* headers, and only from that proxy.
            adjustments.update(
                trusted_proxy=settings.LIAISON_TRUSTED_PROXY,
                trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
                clear_untrusted_proxy_headers=True,
            )
        BaseWSGIServer.channel_class = LiaisonChannel

        def serve_forever(listener: Any) -> None:
            create_server(application, sockets=[listener], **adjustments).run()

        worker = None
        if not options["no_worker"]:
            from liaison.tasks.process import start_worker, stop_worker  # the queue's infrastructure

            worker = start_worker()
        if options["processes"] == 1 or not hasattr(os, "fork"):  # no fork (Windows): one process
            serve_forever(sock)
            return
        pool = Prefork(
            sock,
            options["processes"],
            serve_forever,
            before_fork=connections.close_all,
            on_stop=(lambda: stop_worker(worker)) if worker is not None else (lambda: None),
        )
        if pool.run():
            raise CommandError("The server processes kept failing; see the errors above.")
