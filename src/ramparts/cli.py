"""`ramparts` console script. Every command is a Django management command, so each has --help,
and all of them act through the same services as the UI and API."""

import getpass
import os
import sys

COMMANDS = {
    "serve": "Run the web server (several workers, static files served).",
    "worker": "Run background tasks (django.tasks with the database backend).",
    "migrate": "Create or upgrade the database schema.",
    "demo": "Load the demo organisation (safe to run twice).",
    "createadmin": "Create an administrator account.",
    "housekeeping": "Every module's periodic work (reminders, clock warnings, expiries, snapshots); `--loop`.",
    "audit": "Audit trail: `ramparts audit verify` checks the hash chain.",
    "inventory": "Inventory: `import <entity> FILE` and `export <entity>`.",
    "risk": "Risk: `simulate SPEC` (Open FAIR), `import FILE` (pyfair/riskquant), `expire`, `snapshot`, `daily`.",
    "scans": "Scans: `import FILE [--system NAME] [--format auto] [--json]` imports scanner findings.",
    "feeds": "Feeds: `update kev|epss [--from-file F] [--json]` (CISA KEV, FIRST EPSS), `status`.",
    "findings": "Findings: `expire` (ended risk acceptances), `snapshot` (burn-down), `daily` (both).",
    "notifications": "Notifications: `deliver [--loop]` sends due e-mails and webhook calls (retries).",
    "frameworks": "Frameworks: `import FILE [--json]`, `list [--json]`, `diff OLD NEW`, `mappings import FILE`.",
    "policies": "Policies: `remind` (review reminders) and `expire` (exceptions past their date); run daily.",
    "incidents": "Incidents: `clocks --aware-at T ...` computes notification deadlines; `remind` sends reminders.",
}


def usage() -> str:
    lines = ["usage: ramparts <command> [options]", "", "commands:"]
    lines += [f"  {name:<12} {text}" for name, text in COMMANDS.items()]
    lines += ["", "`ramparts <command> --help` describes each. DATABASE_URL selects the database."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramparts.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from ramparts.core.context import Channel, acting

    name = args[0]
    if name == "worker":
        args[0] = "db_worker"
    with acting(Channel.CLI, principal=_os_user()):
        try:
            execute_from_command_line(["ramparts", *args])
        except SystemExit as exit_:
            return int(exit_.code or 0) if isinstance(exit_.code, int) else 1
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
