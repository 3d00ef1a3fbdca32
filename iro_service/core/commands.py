"""What the statutory-return commands share: putting a run down to a named staff account, and
saying what the DfE's rules found."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from iro_service.core.dfe import dfe_lines, write_findings_csv


def add_user_argument(parser) -> None:
    parser.add_argument(
        "--user",
        help="Username of the staff member the run is put down to: in the import and export history, "
        "on the history of every record an import writes, and (for an export) in the access log for "
        "each child. Default: the operating-system account, with no access-log entries.",
    )


def user_from(options) -> object | None:
    """The active user named by --user, or None; a clear error for any other name."""
    username = options.get("user")
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username}: there is no active user with that username.", returncode=2)
    return user


def add_dfe_arguments(parser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="Exit with status 3 when any of the DfE's validation rules fails (they are run and listed "
        "on every import and export; without --check a failing rule is only a warning).",
    )
    parser.add_argument(
        "--dfe-rules-csv",
        metavar="FILE",
        help="Write every row failing a DfE rule to this CSV file (rule, message, file, where, child).",
    )


def report_dfe(command, exchange, options) -> None:
    """Print what the DfE's rules found in a run (its history entry ``exchange``), write the
    failing rows if asked, and with --check stop with status 3 when a rule fails."""
    summary = exchange.dfe_summary if exchange is not None else {}
    for line in dfe_lines(summary):
        command.stdout.write(line)
    if options.get("dfe_rules_csv"):
        with open(options["dfe_rules_csv"], "w", newline="", encoding="utf-8") as handle:
            write_findings_csv(exchange.dfe_findings if exchange is not None else [], handle)
        command.stdout.write(f"Failing rows written to {options['dfe_rules_csv']}.")
    if options.get("check") and summary.get("failing_rules"):
        raise CommandError("The return fails the DfE's rules listed above.", returncode=3)
