"""`liaison serve`: the production WSGI server (waitress) with the static files served by WhiteNoise."""

from __future__ import annotations

from argparse import ArgumentParser
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from waitress import serve
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from liaison.core.middleware import REQUEST_TOO_LARGE
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
    help = "Serve Liaison with waitress on LIAISON_HOST:LIAISON_PORT."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=settings.LIAISON_HOST)
        parser.add_argument("--port", type=int, default=settings.LIAISON_PORT)
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
        self.stdout.write(f"Liaison is serving on http://{options['host']}:{options['port']}/", ending="\n")
        self.stdout.flush()
        proxy: dict[str, Any] = {}
        if settings.SECURE_PROXY_SSL_HEADER:
            # Behind the TLS-terminating reverse proxy: waitress takes the client address and scheme from the
            # proxy's X-Forwarded-* headers, and only from that proxy.
            proxy = {
                "trusted_proxy": settings.LIAISON_TRUSTED_PROXY,
                "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
                "clear_untrusted_proxy_headers": True,
            }
        if not options["no_worker"]:
            from liaison.tasks.process import start_worker  # the queue's infrastructure, not a domain app

            start_worker()
        BaseWSGIServer.channel_class = LiaisonChannel
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=settings.LIAISON_THREADS,
            ident="Liaison",
            max_request_body_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            inbuf_overflow=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,  # bodies stay in memory: no clear temp file
            **proxy,
        )
