"""What each role of a seller's team may do (F12.2).

One table decides it for the web app, the API and the CLI alike; services ask
``require(role, permission)`` before they write.

>>> can(Role.VIEWER, Permission.DOCUMENTS_VIEW), can(Role.VIEWER, Permission.DOCUMENTS_DELETE)
(True, False)
>>> can(Role.ACCOUNTANT, Permission.PAYMENTS_RECORD), can(Role.ACCOUNTANT, Permission.SETTINGS_CHANGE)
(True, False)
>>> require(Role.VIEWER, Permission.SETTINGS_CHANGE)
Traceback (most recent call last):
...
faktura.core.errors.PermissionDenied: a viewer may not change settings
"""

from __future__ import annotations

from enum import StrEnum

from faktura.core.errors import PermissionDenied


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    VIEWER = "viewer"


class Permission(StrEnum):
    DOCUMENTS_VIEW = "view documents"
    DOCUMENTS_ISSUE = "issue documents"
    DOCUMENTS_CANCEL = "cancel or credit documents"
    DOCUMENTS_DELETE = "delete documents"
    PAYMENTS_RECORD = "record payments"
    EXPORT = "export for the accountant"
    SETTINGS_CHANGE = "change settings"
    MEMBERS_MANAGE = "manage people and API keys"


_ALL = frozenset(Permission)
_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL,
    Role.ACCOUNTANT: frozenset(
        {
            Permission.DOCUMENTS_VIEW,
            Permission.DOCUMENTS_ISSUE,
            Permission.DOCUMENTS_CANCEL,
            Permission.PAYMENTS_RECORD,
            Permission.EXPORT,
        }
    ),
    Role.VIEWER: frozenset({Permission.DOCUMENTS_VIEW}),
}


def can(role: Role | str, permission: Permission) -> bool:
    return permission in _GRANTS[Role(role)]


def require(role: Role | str, permission: Permission) -> None:
    if not can(role, permission):
        article = "an" if Role(role).value[0] in "aeiou" else "a"
        raise PermissionDenied(f"{article} {Role(role).value} may not {permission.value}")
