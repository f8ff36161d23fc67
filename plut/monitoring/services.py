"""Writes of monitoring: data set versions, rounds, entries (form, spreadsheet, API), flags.

Every function takes keyword arguments, runs in a transaction and writes one audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.accounts.scope import can_see_region
from plut.core.services import audit_log_write
from plut.enterprises.models import Enterprise, FigureSnapshot
from plut.enterprises.services import figures_record
from plut.enterprises.sizeclass import classify
from plut.lib.dates import parse_date
from plut.lib.errors import ValueRejected
from plut.lib.money import parse_rupiah
from plut.monitoring import rules as rule_checks
from plut.monitoring.models import (
    Assignment,
    DataSet,
    DataSetVersion,
    EnterprisePeriod,
    Flag,
    Indicator,
    Round,
    Rule,
    Submission,
    Value,
    ValueType,
)
from plut.monitoring.periods import MONTHS, PeriodType, period_end, period_start

MSG_FROZEN = _("This data set version is published and cannot change; create a new version.")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "salah"}


# --- data sets ---------------------------------------------------------------------------------


@transaction.atomic
def dataset_version_create(
    *,
    actor,
    dataset: DataSet,
    indicators: list[dict[str, Any]],
    rules: list[dict[str, Any]] = (),
    note: str = "",
    publish: bool = True,
) -> DataSetVersion:
    """Create the next version of ``dataset`` with its indicators and rules (dicts of model fields).

    Earlier versions and their values stay as they were (a changed definition never
    reinterprets old values). Raises ``ValidationError`` for an invalid indicator or rule.
    """
    last = dataset.versions.order_by("-number").first()
    version = DataSetVersion(dataset=dataset, number=(last.number + 1) if last else 1, note=note)
    version.full_clean()
    version.save()
    for order, spec in enumerate(indicators):
        ind = Indicator(version=version, order=order, **spec)
        ind.full_clean()
        ind.save()
    codes = {i["code"] for i in indicators}
    for spec in rules:
        rule = Rule(version=version, **spec)
        rule.full_clean()
        for key in ("indicator", "other"):
            code = rule.params.get(key)
            if code and code not in codes:
                raise ValidationError({"params": _("Unknown indicator %(code)s.") % {"code": code}})
        rule.save()
    if publish:
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    audit_log_write(actor=actor, action="monitoring.dataset_version_create", target=version)
    return version


def version_check_editable(version: DataSetVersion) -> None:
    """Raise ``ValidationError`` when ``version`` is published (frozen)."""
    if version.published_at is not None:
        raise ValidationError(MSG_FROZEN)


# --- rounds ------------------------------------------------------------------------------------


def _round_targets(target: str, region, start: dt.date, end: dt.date):
    qs = Enterprise.objects.all()
    if target == Round.Target.CLINIC:
        from plut.clinic.models import Case

        qs = qs.filter(pk__in=Case.objects.values("enterprise_id"))
    elif target == Round.Target.BORDER:
        qs = qs.filter(is_border=True)
    if region is not None:
        qs = qs.filter(region_path__startswith=region.path)
    return qs


@transaction.atomic
def round_create(
    *,
    actor,
    version: DataSetVersion,
    name: str,
    period: dt.date,
    due_on: dt.date,
    target: str,
    region=None,
) -> Round:
    """Open a round of ``version`` for the period containing ``period`` and assign its enterprises.

    ``target``: ``clinic`` (every enterprise with a clinic case), ``border`` (enterprises in
    border districts) or ``region`` (all enterprises of ``region``); ``region`` also narrows the
    first two. Raises ``PermissionDenied`` unless ``actor`` is an office administrator, and
    ``ValidationError`` for an unpublished version or a ``region`` target without a region.
    """
    if actor is not None and Role(actor.role) != Role.OFFICE_ADMIN:
        raise PermissionDenied(_("Only an office administrator opens monitoring rounds."))
    if version.published_at is None:
        raise ValidationError({"version": _("Publish the data set version first.")})
    if target == Round.Target.REGION and region is None:
        raise ValidationError({"region": _("Choose the region of the round.")})
    ptype = version.dataset.period_type
    start = period_start(ptype, period)
    rnd = Round(
        name=name,
        version=version,
        period_start=start,
        period_end=period_end(ptype, start),
        due_on=due_on,
        target=target,
        region=region,
        created_by=actor,
    )
    rnd.full_clean()
    rnd.save()
    Assignment.objects.bulk_create(
        Assignment(
            round=rnd,
            enterprise_id=e["id"],
            region_path=e["region_path"],
            regency_code=e["regency_code"],
            district_code=e["district_code"],
        )
        for e in _round_targets(target, region, rnd.period_start, rnd.period_end).values(
            "id", "region_path", "regency_code", "district_code"
        )
    )
    audit_log_write(
        actor=actor, action="monitoring.round_create", target=rnd, data={"assigned": rnd.assignments.count()}
    )
    return rnd


# --- entry -------------------------------------------------------------------------------------


def can_report(user, assignment: Assignment) -> bool:
    """Return True when ``user`` may enter values for ``assignment``.

    Office administrators always; consultants, regency officers and enumerators in their region
    scope when the data set names their role; an entrepreneur for their own enterprise when the
    data set names the entrepreneur.
    """
    if user is None or not user.is_authenticated:
        return False
    role = Role(user.role)
    if role == Role.OFFICE_ADMIN:
        return True
    roles = assignment.round.version.dataset.reporter_roles
    if role == Role.ENTREPRENEUR:
        return "entrepreneur" in roles and assignment.enterprise.owner.user_id == user.pk
    return role.value in roles and can_see_region(user, assignment.region_path)


def parse_value(indicator: Indicator, raw: Any) -> Any:
    """Return the value typed for ``indicator`` read from ``raw`` (text or a Python value).

    ``None`` for an empty value. Raises ``ValueRejected`` / ``ValueError`` with a message.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    vt = indicator.value_type
    if vt == ValueType.MONEY:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        return parse_rupiah(str(raw))
    if vt == ValueType.INTEGER:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = str(raw).strip()
        if not text.lstrip("-").isdigit():
            raise ValueError(_("Write a whole number, e.g. 3."))
        return int(text)
    if vt == ValueType.DATE:
        return raw if isinstance(raw, dt.date) else parse_date(str(raw))
    if vt == ValueType.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("Write ya or tidak."))
    return str(raw).strip()


def _annual(indicator: Indicator, value: int, ptype: str) -> int:
    if indicator.figure_field == Indicator.FigureField.ANNUAL_SALES:
        return value * (12 // MONTHS[PeriodType(ptype)])
    return value


def _previous(assignment: Assignment, indicators: list[Indicator]) -> tuple[dict[str, Any], str]:
    rnd = assignment.round
    ptype = rnd.version.dataset.period_type
    snap = (
        FigureSnapshot.objects.filter(enterprise_id=assignment.enterprise_id, as_of__lt=rnd.period_start)
        .order_by("-as_of", "-id")
        .first()
    )
    previous: dict[str, Any] = {}
    for ind in indicators:
        if ind.figure_field:
            if snap is not None:
                value = getattr(snap, ind.figure_field)
                if value is not None and ind.figure_field == Indicator.FigureField.ANNUAL_SALES:
                    value = value // (12 // MONTHS[PeriodType(ptype)])
                previous[ind.code] = value
            continue
        earlier = (
            Value.objects.filter(
                submission__assignment__enterprise_id=assignment.enterprise_id,
                submission__assignment__round__version__dataset=rnd.version.dataset,
                submission__assignment__round__period_start__lt=rnd.period_start,
                indicator__code=ind.code,
            )
            .order_by("-submission__assignment__round__period_start")
            .first()
        )
        if earlier is not None:
            previous[ind.code] = earlier.number if earlier.number is not None else earlier.text
    return previous, (snap.size_class if snap else "")


def _peers(assignment: Assignment, indicators: list[Indicator], size_class: str) -> dict[str, list[int]]:
    """Peer values (same KBLI section and size class, same period, other enterprises) per indicator."""
    rnd = assignment.round
    ptype = rnd.version.dataset.period_type
    ent = assignment.enterprise
    columns = {"annual_sales_idr": "sales_idr", "workers": "workers", "capital_idr": "capital_idr"}
    peers: dict[str, list[int]] = {}
    base = EnterprisePeriod.objects.filter(
        period_type=ptype,
        period_start=rnd.period_start,
        section=ent.kbli_section or "-",
        size_class=size_class or "-",
        has_figures=True,
    ).exclude(enterprise_id=ent.pk)
    for ind in indicators:
        column = columns.get(ind.figure_field)
        if not column:
            continue
        values = base.filter(**{f"{column}__isnull": False}).values_list(column, flat=True)
        divisor = 12 // MONTHS[PeriodType(ptype)] if column == "sales_idr" else 1
        peers[ind.code] = [v // divisor for v in values]
    return peers


@transaction.atomic
def submission_record(
    *,
    actor,
    assignment: Assignment,
    values: dict[str, Any],
    as_of: dt.date | None = None,
    channel: str = Submission.Channel.FORM,
    comments: dict[str, str] | None = None,
) -> tuple[Submission, list[Flag]]:
    """Record (or correct) the values of one assignment; return the submission and its open flags.

    ``values`` maps indicator codes to raw values (text as typed, or int/date/bool). ``as_of`` is the
    date the figures refer to (default: the period's last day, or today inside a running period).
    Hard rules and bad values raise ``ValidationError`` keyed by indicator code (``as_of`` for the
    date), nothing is written. Values with a ``figure_field`` land in the enterprise's dated figures
    (``figures_record``, source ``monitoring``; sales annualised): a correction deletes the
    submission's earlier snapshot and records a new one. Soft rules raise flags; ``comments`` (rule
    code → text) explains them at once (status ``explained``), otherwise they stay ``open`` on the
    reporter's follow-up list. Raises ``PermissionDenied`` unless :func:`can_report`.
    """
    if not can_report(actor, assignment):
        raise PermissionDenied(_("You may not report for this enterprise in this round."))
    rnd = assignment.round
    version = rnd.version
    ptype = version.dataset.period_type
    indicators = list(version.indicators.all())
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for ind in indicators:
        try:
            parsed[ind.code] = parse_value(ind, values.get(ind.code))
        except (ValueRejected, ValueError) as exc:
            errors.setdefault(ind.code, []).append(str(getattr(exc, "message", exc)))
            continue
        if parsed[ind.code] is None and ind.required:
            errors.setdefault(ind.code, []).append(_("This value is required."))
    unknown = set(values) - {i.code for i in indicators}
    for code in sorted(unknown):
        errors.setdefault(code, []).append(_("Not an indicator of this data set."))
    today = timezone.localdate()
    if as_of is None:
        as_of = min(rnd.period_end, today)
    ctx = rule_checks.Context(
        values=parsed, as_of=as_of, period_start=rnd.period_start, period_end=rnd.period_end
    )
    all_rules = list(version.rules.all())
    for rule in all_rules:
        if rule.severity == Rule.Severity.HARD and not errors:
            message = rule_checks.evaluate(rule, ctx)
            if message:
                errors.setdefault(rule.params.get("indicator") or "as_of", []).append(message)
    if as_of > today and not errors:
        errors["as_of"] = [_("The date of the figures cannot be in the future.")]
    if errors:
        raise ValidationError(errors)

    figures: dict[str, int] = {}
    for ind in indicators:
        value = parsed.get(ind.code)
        if ind.figure_field and isinstance(value, int):
            figures[ind.figure_field] = _annual(ind, value, ptype)
    previous, previous_class = _previous(assignment, indicators)
    result = classify(
        capital_idr=figures.get("capital_idr"), annual_sales_idr=figures.get("annual_sales_idr")
    )
    size_class = result.size_class.value if result else ""

    submission = Submission.objects.select_for_update().filter(assignment=assignment).first()
    corrected = submission is not None
    if submission is None:
        submission = Submission(assignment=assignment)
    old_snapshot_id = submission.snapshot_id
    submission.reporter = actor
    submission.as_of = as_of
    submission.channel = channel
    submission.submitted_at = timezone.now()
    submission.snapshot = None
    submission.full_clean()
    submission.save()
    if old_snapshot_id:
        FigureSnapshot.objects.filter(pk=old_snapshot_id).delete()
    if figures:
        submission.snapshot = figures_record(
            actor=actor,
            enterprise=assignment.enterprise,
            as_of=as_of,
            source=FigureSnapshot.Source.MONITORING,
            note=f"{rnd.name} ({version})"[:255],
            **figures,
        )
        submission.save(update_fields=["snapshot"])
    submission.values.all().delete()
    Value.objects.bulk_create(
        Value(
            submission=submission,
            indicator=ind,
            number=parsed[ind.code]
            if isinstance(parsed[ind.code], int) and not isinstance(parsed[ind.code], bool)
            else None,
            text=""
            if isinstance(parsed[ind.code], int) and not isinstance(parsed[ind.code], bool)
            else _as_text(parsed[ind.code]),
        )
        for ind in indicators
        if parsed.get(ind.code) is not None
    )

    ctx.previous = previous
    ctx.previous_size_class = previous_class
    ctx.size_class = size_class
    ctx.peers = _peers(assignment, indicators, size_class)
    submission.flags.all().delete()
    comments = comments or {}
    flags = []
    now = timezone.now()
    for rule in all_rules:
        if rule.severity != Rule.Severity.SOFT:
            continue
        message = rule_checks.evaluate(rule, ctx)
        if not message:
            continue
        comment = (comments.get(rule.code) or "").strip()
        flags.append(
            Flag(
                submission=submission,
                rule=rule,
                message=message,
                reporter=actor,
                region_path=assignment.region_path,
                status=Flag.Status.EXPLAINED if comment else Flag.Status.OPEN,
                comment=comment,
                explained_at=now if comment else None,
            )
        )
    Flag.objects.bulk_create(flags)
    audit_log_write(
        actor=actor,
        action="monitoring.submission_correct" if corrected else "monitoring.submission_record",
        target=submission,
        data={"round": rnd.pk, "enterprise": assignment.enterprise_id, "flags": [f.rule.code for f in flags]},
    )
    return submission, [f for f in flags if f.status == Flag.Status.OPEN]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def flag_explain(*, actor, flag: Flag, comment: str) -> Flag:
    """Explain a flag with a comment (required). Raises ``ValidationError`` for an empty comment and
    ``PermissionDenied`` when ``actor`` may not report for the flag's assignment."""
    if not can_report(actor, flag.submission.assignment):
        raise PermissionDenied(_("You may not report for this enterprise in this round."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Explain the value: a comment is required.")})
    flag.comment = comment
    flag.status = Flag.Status.EXPLAINED
    flag.explained_at = timezone.now()
    flag.full_clean()
    flag.save(update_fields=["comment", "status", "explained_at"])
    audit_log_write(actor=actor, action="monitoring.flag_explain", target=flag)
    return flag


# --- bulk entry --------------------------------------------------------------------------------


@transaction.atomic
def bulk_entry_run(*, actor, rnd: Round, file, filename: str, dry_run: bool = False) -> dict[str, Any]:
    """Enter a round's values from a spreadsheet (CSV/XLSX/XLS/ODS, read by ``plut.imports.readers``).

    Header row: ``enterprise_id`` (or ``nib``), optionally ``as_of``, then indicator codes (or
    labels). All or nothing, as the registry import's default: when any row is rejected nothing is
    written. Returns ``{"ok", "rows", "errors", "warnings"}``; each error/warning is
    ``{"row", "column", "value", "reason"}`` (soft-rule flags are warnings).
    """
    from plut.imports.readers import open_table
    from plut.imports.types import ImportFileError

    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    indicators = list(rnd.version.indicators.all())
    by_header = {i.code.lower(): i.code for i in indicators} | {i.label.lower(): i.code for i in indicators}
    try:
        table = open_table(file, filename=filename)
    except ImportFileError as exc:
        return {
            "ok": False,
            "rows": 0,
            "errors": [{"row": None, "column": "", "value": filename, "reason": str(exc)}],
            "warnings": [],
        }
    rows = list(table.raw_rows())
    table.close()
    if not rows:
        return {
            "ok": False,
            "rows": 0,
            "errors": [{"row": None, "column": "", "value": "", "reason": _("The file is empty.")}],
            "warnings": [],
        }
    header = [c.text.strip() for c in rows[0].cells]
    columns: list[str | None] = []
    for text in header:
        low = text.lower()
        if low in {"enterprise_id", "nib", "as_of"}:
            columns.append(low)
        elif low in by_header:
            columns.append(by_header[low])
        else:
            columns.append(None)
            warnings.append(
                {
                    "row": rows[0].number,
                    "column": text,
                    "value": text,
                    "reason": _("Column ignored: not an indicator of this data set."),
                }
            )
    if "enterprise_id" not in columns and "nib" not in columns:
        errors.append(
            {
                "row": rows[0].number,
                "column": "",
                "value": "",
                "reason": _("The header needs an enterprise_id or nib column."),
            }
        )
        return {"ok": False, "rows": 0, "errors": errors, "warnings": warnings}
    assignments = {
        a.enterprise_id: a
        for a in rnd.assignments.select_related("enterprise", "enterprise__owner", "round__version__dataset")
    }
    by_nib = {a.enterprise.nib: a for a in assignments.values() if a.enterprise.nib}
    done = 0
    for row in rows[1:]:
        record = {
            col: (row.cells[i].text if i < len(row.cells) else "") for i, col in enumerate(columns) if col
        }
        key_col = "enterprise_id" if record.get("enterprise_id", "").strip() else "nib"
        key = record.get(key_col, "").strip()
        assignment = None
        if key_col == "enterprise_id" and key.isdigit():
            assignment = assignments.get(int(key))
        elif key_col == "nib":
            assignment = by_nib.get(key)
        if assignment is None:
            errors.append(
                {
                    "row": row.number,
                    "column": key_col,
                    "value": key,
                    "reason": _("No enterprise with this identifier in the round."),
                }
            )
            continue
        as_of = None
        raw_date = record.pop("as_of", "").strip()
        if raw_date:
            try:
                as_of = parse_date(raw_date)
            except ValueRejected as exc:
                errors.append(
                    {"row": row.number, "column": "as_of", "value": raw_date, "reason": str(exc.message)}
                )
                continue
        record.pop("enterprise_id", None)
        record.pop("nib", None)
        try:
            with transaction.atomic():
                _sub, flags = submission_record(
                    actor=actor,
                    assignment=assignment,
                    values=record,
                    as_of=as_of,
                    channel=Submission.Channel.SPREADSHEET,
                )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(
                        {
                            "row": row.number,
                            "column": column,
                            "value": record.get(column, ""),
                            "reason": message,
                        }
                    )
            continue
        except PermissionDenied as exc:
            errors.append({"row": row.number, "column": key_col, "value": key, "reason": str(exc)})
            continue
        for flag in flags:
            ind = flag.rule.params.get("indicator", "")
            warnings.append(
                {"row": row.number, "column": ind, "value": record.get(ind, ""), "reason": flag.message}
            )
        done += 1
    if errors or dry_run:
        transaction.set_rollback(True)
    return {
        "ok": not errors,
        "rows": 0 if errors or dry_run else done,
        "errors": errors,
        "warnings": warnings,
    }


__all__ = [
    "bulk_entry_run",
    "can_report",
    "dataset_version_create",
    "flag_explain",
    "round_create",
    "submission_record",
]
