import multiprocessing
import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Ramparts with gunicorn: several worker processes, static files served by WhiteNoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("RAMPARTS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("RAMPARTS_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("RAMPARTS_WORKERS", "0")) or min(2 * multiprocessing.cpu_count() + 1, 9),
            help="worker processes (default: 2 × cores + 1, at most 9)",
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="skip collecting static files")

    def handle(self, *args, host, port, workers, no_collectstatic, **options):
        from gunicorn.app.base import BaseApplication

        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Imported after collecting: WhiteNoise indexes the static directory when the app loads.
        from ramparts.wsgi import application

        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", bind)
                self.cfg.set("workers", workers)
                self.cfg.set("timeout", 120)
                self.cfg.set("accesslog", "-")
                # Log the path without its query string: query strings can carry secrets.
                self.cfg.set("access_log_format", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms')

            def load(self):
                return application

        self.stdout.write(f"Ramparts is listening on http://{bind}/ with {workers} workers")
        Server().run()
