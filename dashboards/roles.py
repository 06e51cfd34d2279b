"""Who may see which page: the roles a page declares in its ``roles=`` registry key."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A kind of user of the dashboard."""

    OWNER = "owner"
    QUALITY_LEAD = "quality_lead"
    ICB_LEAD = "icb_lead"
    INSPECTOR = "inspector"
    ADMIN = "admin"


ALL_ROLES: frozenset[Role] = frozenset(Role)
