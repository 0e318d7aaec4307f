"""Run the helper process that answers "which statements are closest in meaning to this?"

Loads the embedding model and the stored vectors once, then serves web workers over a unix
socket (PRACTICEKB_MEANING_SOCKET) until stopped. Web settings use it with
PRACTICEKB_MEANING = "socket". Reads only.
"""

from django.core.management.base import BaseCommand, CommandError

from meaning import conf
from meaning.client import local_index
from meaning.encoder import ModelUnavailable, get_encoder
from meaning.server import serve


class Command(BaseCommand):
    help = "Serve query embeddings and nearest statements to web workers over a unix socket."

    def add_arguments(self, parser):
        parser.add_argument("--socket", default=None, help="Socket path (default: setting).")

    def handle(self, *args, socket=None, **options):
        path = socket or conf.socket_path()
        try:
            encoder = get_encoder()
        except ModelUnavailable as error:
            raise CommandError(f"The embedding model cannot run: {error}") from error
        index = local_index()
        index.refresh(force=True)
        server = serve(path)
        self.stdout.write(
            f"meaning: {encoder.name}, {len(index.ids):,} statement vectors, listening on {path}"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
