"""Writes to the access log."""

from __future__ import annotations

import getpass
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from iro_service.audit.models import (
    AccessChannel,
    AccessLog,
    ApiScope,
    ApiToken,
    DataExchange,
    ExchangeDirection,
    ExchangeOutcome,
    QueuedUpload,
)
from iro_service.core.dfe import KEEP_FINDINGS, DfeResult
from iro_service.core.imports import ImportRejected, Problem, Tally

if TYPE_CHECKING:  # the access log sits below the people app: no import at run time
    from iro_service.people.models import Child


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # it, and a forged address in an audit log is worse than none.
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(*, request, child: Child, what: str, channel: str = AccessChannel.WEB) -> AccessLog:
    """Log that ``request.user`` viewed ``child``'s record."""
    return AccessLog.objects.create(
        user=request.user,
        child=child,
        channel=channel,
        what=what[:120],
        path=request.get_full_path()[:500],
        ip_address=_client_ip(request),
    )


def access_log_record_many(
    *, child_ids: Iterable[int], what: str, channel: str = AccessChannel.API, request=None, user=None
) -> int:
    """Log one view per child in a single INSERT (API lists, exports). From a web request the
    user, path and address come from ``request``; an export run for a user outside one passes
    ``user``."""
    user = user if user is not None else request.user
    batch = uuid.uuid4()
    rows = [
        AccessLog(
            user=user,
            child_id=child_id,
            channel=channel,
            what=what[:120],
            path=request.get_full_path()[:500] if request is not None else "",
            ip_address=_client_ip(request) if request is not None else None,
            batch=batch,
        )
        for child_id in set(child_ids)
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)


def access_log_record_list(*, request, child_ids: Iterable[int], what: str) -> int:
    """Log that ``request.user`` saw these children listed on a web page (the rows of the page
    shown, not the whole list): a name and child ID on a list is a view of the child's record,
    as much as the child's own page is. One INSERT for the page."""
    return access_log_record_many(request=request, child_ids=child_ids, what=what, channel=AccessChannel.WEB)


# What a token's scope needs its user's role to allow: a scope the role cannot use would be a
# credential waiting for the role to widen. Figures are counts: any role may read them.
def _role_allows_scope(user, scope: str) -> bool:
    if scope == ApiScope.READ:
        return user.has_perm("people.view_child")
    if scope == ApiScope.WRITE:
        # Every write endpoint needs an add, change or workflow permission on case records; the
        # kernel's own (access log, returns, timescales) are never written through the API. No
        # app is named, so a new app's write endpoints need no edit here.
        return any(
            app not in ("audit", "timescales") and not codename.startswith("view_")
            for app, codename in (perm.split(".", 1) for perm in user.get_all_permissions())
        )
    return True


def api_token_issue(*, user, name: str, scopes: list[str], expires_at=None) -> tuple[ApiToken, str]:
    """Issue a token; returns the row and the plain token, which is never stored or shown
    again. Format: ``<prefix>.<secret>``; the prefix finds the row, the secret is hashed.
    Refused (``ValidationError`` on ``scopes``) for a scope the user's role cannot use, and on
    ``expires_at`` for an expiry already past."""
    refused = [scope for scope in sorted(set(scopes)) if not _role_allows_scope(user, scope)]
    if refused:
        cannot = {ApiScope.READ: "read children's records", ApiScope.WRITE: "record or change anything"}
        raise ValidationError(
            {
                "scopes": [
                    f"{user.username}'s role cannot {cannot[scope]}, so their token cannot have "
                    f"the '{scope}' scope."
                    for scope in refused
                ]
            }
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=api_token_hash(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, f"{prefix}.{secret}"


def api_token_hash(secret: str) -> str:
    # A fast hash is right here: the secret is 256 random bits, not a password to be guessed.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def data_exchange_record(
    *,
    data_format: str,
    direction: str,
    outcome: str,
    files: Iterable[str],
    started_at,
    user=None,
    collection_year: int | None = None,
    counts: dict | None = None,
    problems: Iterable | None = None,
    problem_count: int = 0,
    dry_run: bool = False,
    exchange: DataExchange | None = None,
    dfe: DfeResult | None = None,
) -> DataExchange:
    """Keep one import or export in the history (or finish ``exchange``, a queued import).
    ``user`` is the signed-in user; a command run from a shell is put down to the
    operating-system account that ran it. ``dfe`` is what the DfE's rules found in the files."""
    run_by = user.get_username() if user is not None else f"{getpass.getuser()} (command line)"
    values = {
        "data_format": data_format,
        "direction": direction,
        "outcome": outcome,
        "user": user,
        "run_by": run_by,
        "files": ", ".join(files)[:500],
        "collection_year": collection_year,
        "started_at": started_at,
        "finished_at": timezone.now(),
        "counts": counts or {},
        "problems": [problem.as_dict() for problem in (problems or [])],
        "problem_count": problem_count,
        "dry_run": dry_run,
        "dfe_summary": dfe.summary() if dfe is not None else {},
        "dfe_findings": [finding.as_dict() for finding in dfe.findings[:KEEP_FINDINGS]] if dfe else [],
    }
    if exchange is None:
        return DataExchange.objects.create(**values)
    for name, value in values.items():
        setattr(exchange, name, value)
    exchange.save()
    return exchange


def data_import_run(
    *,
    data_format: str,
    files: Iterable[str],
    dry_run: bool,
    user,
    run: Callable[[], Tally],
    exchange: DataExchange | None = None,
    dfe_check: Callable[[], DfeResult | None] | None = None,
) -> Tally:
    """Run an import (``run`` returns its tally or raises ImportRejected) and keep it in the
    history whatever happens: imported, checked (dry run), rejected with its problems, or, for
    a queued import (``exchange``), failed on an unexpected error. ``dfe_check`` runs the DfE's
    rules on the files first: what they find is kept as warnings beside the outcome, whatever
    it is, and never decides it."""
    started = exchange.started_at if exchange is not None else timezone.now()
    dfe = dfe_check() if dfe_check is not None else None
    record = {
        "data_format": data_format,
        "direction": ExchangeDirection.IMPORT,
        "files": list(files),
        "started_at": started,
        "user": user,
        "dry_run": dry_run,
        "exchange": exchange,
        "dfe": dfe,
    }
    try:
        # The records and the history entry saying they were imported are written together:
        # a worker that dies between the two must not leave an import half recorded, to be
        # imported again.
        with transaction.atomic():
            tally = run()
            outcome = ExchangeOutcome.CHECKED if dry_run else ExchangeOutcome.IMPORTED
            tally.exchange = data_exchange_record(**record, outcome=outcome, counts=tally.as_dict())
    except ImportRejected as rejected:
        rejected.exchange = data_exchange_record(
            **record,
            outcome=ExchangeOutcome.REJECTED,
            problems=rejected.problems,
            problem_count=rejected.count,
        )
        raise
    except Exception:
        if exchange is not None:
            # A worker's crash must not leave the history saying "queued" for ever.
            failure = Problem("", "", "", "An unexpected error stopped the import. Nothing was written.")
            data_exchange_record(
                **record, outcome=ExchangeOutcome.FAILED, problems=[failure], problem_count=1
            )
        raise
    return tally


def data_import_queue(*, data_format: str, uploads: dict, dry_run: bool, user) -> DataExchange:
    """Keep uploaded files ({table: uploaded file}) for an import to run in the background, and
    its history entry, queued."""
    now = timezone.now()
    exchange = DataExchange.objects.create(
        data_format=data_format,
        direction=ExchangeDirection.IMPORT,
        outcome=ExchangeOutcome.QUEUED,
        user=user,
        run_by=user.get_username(),
        files=", ".join(upload.name for upload in uploads.values())[:500],
        started_at=now,
        finished_at=now,
        dry_run=dry_run,
    )
    QueuedUpload.objects.bulk_create(
        [
            QueuedUpload(exchange=exchange, table=table, name=upload.name[:255], content=upload.read())
            for table, upload in uploads.items()
        ]
    )
    return exchange


HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def history_record_created(
    model, pks: Sequence[int], *, user=None, reason: str = "", page: int = 5000
) -> int:
    """Write the "created" history rows of rows just inserted in bulk, copied inside PostgreSQL
    (``INSERT ... SELECT``) rather than built as Python objects: the same rows
    ``bulk_create_with_history`` writes, at a fraction of the cost for an import of a million
    records. Returns the number written."""
    history = model.history.model
    quote = connection.ops.quote_name
    columns = [f.column for f in history._meta.concrete_fields if f.column not in HISTORY_COLUMNS]
    names = ", ".join(quote(column) for column in columns)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date, history_change_reason, "  # nosec B608
        f"history_type, history_user_id) SELECT {names}, %s, %s, '+', %s FROM {table} WHERE {key} = ANY(%s)"
    )
    now = timezone.now()
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(pks), page):
            chunk = list(pks[start : start + page])
            cursor.execute(sql, [now, reason or None, getattr(user, "pk", None), chunk])
            written += cursor.rowcount
    return written


def claims_take(model, rows: Sequence[dict], *, key: Sequence[str], page: int = 1000) -> dict[tuple, int]:
    """Insert each of ``rows`` (field names to values) unless a row with the same unique
    ``key`` is already there (``INSERT ... ON CONFLICT DO NOTHING``), with the "created"
    history rows of those inserted; return the key values of the rows inserted now, each
    mapped to its primary key.

    For the claims of a nightly job's emails: all of a night's claimed in one query a page
    (one ``get_or_create`` an email took three queries and a savepoint, 6,250 of them a
    night nationally), and a concurrent run that loses the race for a row gets nothing for it.
    Commit the claims before sending: an email cannot be taken back."""
    if not rows:
        return {}
    meta = model._meta
    quote = connection.ops.quote_name
    names = list(rows[0])
    columns = [meta.get_field(name).column for name in names]
    key_columns = [meta.get_field(name).column for name in key]
    placeholder = "(" + ", ".join(["%s"] * len(names)) + ")"
    taken: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), page):
            chunk = rows[start : start + page]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # nosec B608
                f"VALUES {', '.join([placeholder] * len(chunk))} ON CONFLICT DO NOTHING "
                f"RETURNING {quote(meta.pk.column)}, {', '.join(quote(c) for c in key_columns)}",
                [row[name] for row in chunk for name in names],
            )
            for pk, *values in cursor.fetchall():
                taken[tuple(values)] = pk
    history_record_created(model, list(taken.values()))
    return taken


def claims_honour(model, claimed: Sequence[tuple[int, Callable[[], object]]]) -> int:
    """Do what each claim (a primary key from ``claims_take`` and the sending it stands for)
    was taken for, in order; return how many were done. If one raises, its claim and those not
    yet done are removed (with their history) and the error raised, so that the task's retry
    does them; the claims of those already done stay, so that nothing is done twice."""
    for index, (_, send) in enumerate(claimed):
        try:
            send()
        except Exception:
            for row in model.objects.filter(pk__in=[pk for pk, _ in claimed[index:]]):
                row.delete()
            raise
    return len(claimed)


def bulk_create_recorded(model, rows: list, *, user=None, reason: str = "", batch_size: int = 5000) -> list:
    """Insert ``rows`` in bulk (PostgreSQL sets their primary keys) with their "created" history
    rows, written by ``history_record_created``. For imports."""
    if rows:
        model.objects.bulk_create(rows, batch_size=batch_size)
        history_record_created(model, [row.pk for row in rows], user=user, reason=reason)
    return rows


def access_log_prune(*, before) -> int:
    """Remove the access-log rows older than ``before``; the number removed. Through the
    database's own function (migration 0013), which refuses a cut-off less than a year ago: the
    log is the council's evidence, and the application cannot delete from it otherwise."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_accesslog_prune(%s)", [before])
        return cursor.fetchone()[0]


def access_log_erase_child(*, child_id: int) -> int:
    """Remove every access-log row of a child whose record has just been erased (in the same
    transaction); the number removed. The database refuses while the child's row exists."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_accesslog_erase_child(%s)", [child_id])
        return cursor.fetchone()[0]


def api_tokens_prune(*, before) -> int:
    """Delete the API tokens that expired or were revoked before ``before``, with their history
    (which holds the secret's hash and who issued it); the number of tokens removed. Kept until
    then for the audit trail of who could reach the API."""
    ended = ApiToken.objects.filter(Q(expires_at__lt=before) | Q(revoked_at__lt=before))
    pks = list(ended.values_list("pk", flat=True))
    if not pks:
        return 0
    with transaction.atomic():
        ApiToken.objects.filter(pk__in=pks).delete()
        # After the delete, which writes a "deleted" history row of its own.
        ApiToken.history.model.objects.filter(id__in=pks).delete()
    return len(pks)
