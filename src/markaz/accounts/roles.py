"""Roles and permissions: one enum of permissions, one table of which role holds which.

Roles are Django groups (created by a migration) so administrators manage them in the
usual places; what a role may do is decided here, in code, where review sees it.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    INTAKE_OFFICER = "intake_officer"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    PARTNER = "partner"


ROLE_LABELS = {
    Role.INTAKE_OFFICER: _("Intake officer"),
    Role.INVESTIGATOR: _("Investigator"),
    Role.ANALYST: _("Analyst"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.ADMINISTRATOR: _("Administrator"),
    Role.PARTNER: _("Partner system"),
}

STAFF_ROLES = frozenset(
    {Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR, Role.ADMINISTRATOR}
)


class Permission(StrEnum):
    INBOX_VIEW = "intake:inbox:view"
    REPORT_VIEW = "intake:report:view"
    REPORT_TRIAGE = "intake:report:triage"
    ATTACHMENT_DOWNLOAD = "intake:attachment:download"
    REPORT_SUBMIT_API = "intake:report:submit_api"
    # Cases: the role grants the kind of work; need-to-know on each case is decided by
    # membership (markaz.cases.rules), so holding CASE_LIST shows only one's own cases.
    CASE_LIST = "cases:case:list"
    CASE_OPEN = "cases:case:open"
    CASE_ASSIGN = "cases:case:assign"
    CASE_WORK = "cases:case:work"
    CASE_VIEW_ALL = "cases:case:view_all"
    CASES_DASHBOARD_VIEW = "cases:dashboard:view"
    # Intel: indicators and campaigns, without victims' details (those follow report access).
    INTEL_VIEW = "intel:indicator:view"
    INTEL_WATCH = "intel:watchlist:manage"
    WARNINGLIST_MANAGE = "intel:warninglist:manage"
    AUDIT_LOG_VIEW = "audit:log:view"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.INTAKE_OFFICER: frozenset(
        {
            Permission.INBOX_VIEW,
            Permission.REPORT_VIEW,
            Permission.REPORT_TRIAGE,
            Permission.ATTACHMENT_DOWNLOAD,
            Permission.INTEL_VIEW,
        }
    ),
    Role.INVESTIGATOR: frozenset(
        {
            Permission.INBOX_VIEW,
            Permission.REPORT_VIEW,
            Permission.ATTACHMENT_DOWNLOAD,
            Permission.CASE_LIST,
            Permission.CASE_WORK,
            Permission.INTEL_VIEW,
            Permission.INTEL_WATCH,
        }
    ),
    # Analysts work on indicators and campaigns, not on victims' reports; they see a case
    # (and its reports) only when made a member of it.
    Role.ANALYST: frozenset(
        {
            Permission.CASE_LIST,
            Permission.INTEL_VIEW,
            Permission.INTEL_WATCH,
            Permission.WARNINGLIST_MANAGE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.INBOX_VIEW,
            Permission.REPORT_VIEW,
            Permission.REPORT_TRIAGE,
            Permission.ATTACHMENT_DOWNLOAD,
            Permission.CASE_LIST,
            Permission.CASE_OPEN,
            Permission.CASE_ASSIGN,
            Permission.CASE_WORK,
            Permission.CASES_DASHBOARD_VIEW,
            Permission.INTEL_VIEW,
            Permission.INTEL_WATCH,
            Permission.WARNINGLIST_MANAGE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.INBOX_VIEW,
            Permission.REPORT_VIEW,
            Permission.REPORT_TRIAGE,
            Permission.ATTACHMENT_DOWNLOAD,
            Permission.CASE_LIST,
            Permission.CASE_OPEN,
            Permission.CASE_ASSIGN,
            Permission.CASE_WORK,
            Permission.CASE_VIEW_ALL,
            Permission.CASES_DASHBOARD_VIEW,
            Permission.INTEL_VIEW,
            Permission.AUDIT_LOG_VIEW,
        }
    ),
    Role.PARTNER: frozenset({Permission.REPORT_SUBMIT_API}),
}
