from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOGOUT = "auth.logout", _("Logged out")
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_VIEWED = "report.viewed", _("Report viewed")
    REPORT_LISTED = "report.listed", _("Reports listed")
    REPORT_SEARCHED = "report.searched", _("Reports searched")
    REPORT_STATUS_CHANGED = "report.status_changed", _("Report status changed")
    REPORT_MARKED_DUPLICATE = "report.marked_duplicate", _("Report marked as duplicate")
    REPORT_MESSAGE_SENT = "report.message_sent", _("Message to the victim")
    REPORT_NOTE_ADDED = "report.note_added", _("Internal note added")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("Attachment downloaded")
    USER_CREATED = "user.created", _("User created")
    ROLE_GRANTED = "user.role_granted", _("Role granted")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
