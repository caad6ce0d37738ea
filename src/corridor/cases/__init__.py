"""The analyst's case work: alerts, decisions, suppressions, users and the audit log.

Open a :class:`CaseStore` over the lists' own database and pass it first to every function;
each write takes the acting user (or an :class:`Operator`) and writes an audit record in the
same transaction. ``corridor.cases.rescreen.rescreen`` and
``corridor.cases.dashboard.dashboard`` are reached through their modules (the names are
the modules'). ``docs/cases.md`` describes the model and the functions the web pages,
the HTTP API, batch jobs and the CLI call.
"""

from corridor.cases.alerts import (
    assign,
    get_alert,
    list_alerts,
    record_alerts,
    record_matches,
    record_screening,
    screened_from_trade,
    subject_from_query,
)
from corridor.cases.audit import (
    audit_records,
    export_text,
    head,
    iter_audit_records,
    verify_chain,
    write_csv,
    write_json,
)
from corridor.cases.dashboard import (
    alerts_over_time,
    decisions_per_analyst,
    lists_loaded,
    open_alerts_by_age,
)
from corridor.cases.db import CaseRules, CaseStore, shared_case_store
from corridor.cases.decisions import alert_detail, approve, decide, decisions_of, reject
from corridor.cases.logins import login, login_wait
from corridor.cases.model import (
    Actor,
    Alert,
    AlertDetail,
    AlertFilter,
    AlertPage,
    AlertSort,
    ApiKey,
    AuditCheck,
    AuditRecord,
    Decision,
    IssuedSecret,
    Operator,
    PageRequest,
    RecordedAlerts,
    Screened,
    Subject,
    Suppression,
    User,
)
from corridor.cases.rescreen import after_list_update, audit_list_updates
from corridor.cases.suppressions import list_suppressions, revoke_suppression, set_expiry
from corridor.cases.tokens import (
    api_key_user,
    create_api_key,
    end_session,
    list_api_keys,
    revoke_api_key,
    session_user,
)
from corridor.cases.users import (
    add_user,
    disable_user,
    enable_user,
    get_user,
    list_users,
    reset_password,
    seed_demo_users,
    set_role,
)

__all__ = [
    "Actor",
    "Alert",
    "AlertDetail",
    "AlertFilter",
    "AlertPage",
    "AlertSort",
    "ApiKey",
    "AuditCheck",
    "AuditRecord",
    "CaseRules",
    "CaseStore",
    "shared_case_store",
    "Decision",
    "IssuedSecret",
    "Operator",
    "PageRequest",
    "RecordedAlerts",
    "Screened",
    "Subject",
    "Suppression",
    "User",
    "add_user",
    "after_list_update",
    "alert_detail",
    "alerts_over_time",
    "api_key_user",
    "approve",
    "assign",
    "audit_list_updates",
    "audit_records",
    "create_api_key",
    "decide",
    "decisions_of",
    "decisions_per_analyst",
    "disable_user",
    "enable_user",
    "end_session",
    "export_text",
    "get_alert",
    "get_user",
    "head",
    "iter_audit_records",
    "list_alerts",
    "list_api_keys",
    "list_suppressions",
    "list_users",
    "lists_loaded",
    "login",
    "login_wait",
    "open_alerts_by_age",
    "record_alerts",
    "record_matches",
    "record_screening",
    "reject",
    "reset_password",
    "revoke_api_key",
    "revoke_suppression",
    "screened_from_trade",
    "seed_demo_users",
    "session_user",
    "set_expiry",
    "set_role",
    "subject_from_query",
    "verify_chain",
    "write_csv",
    "write_json",
]
