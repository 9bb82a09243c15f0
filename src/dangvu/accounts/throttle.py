"""Failed logins counted three ways, each against its own limit (settings): the username from one address (the
strictest), the username from anywhere (guesses spread over many addresses), and the address for any username
(one machine spraying many accounts). The first limit reached locks out; after the cool-off the counts start
again. A successful login clears only the failures of that username from that address, so an attacker cannot
reset the address's count by logging into an account of their own.

django-axes keeps the attempts and answers the lockout; this handler only decides, per measure."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def limits() -> tuple[int, int, int]:
    """(username and address, username, address), in the order of AXES_LOCKOUT_PARAMETERS."""
    return (settings.AXES_FAILURE_LIMIT, settings.DANGVU_LOGIN_USER_FAILURE_LIMIT,
            settings.DANGVU_LOGIN_ADDRESS_FAILURE_LIMIT)  # fmt: skip


class ThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Axes compares this with AXES_FAILURE_LIMIT: report the limit itself when any measure reached its
        own, else the pair's count (below the limit)."""
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if any(n >= limit for n, limit in zip(counts, limits(), strict=False)):
            return settings.AXES_FAILURE_LIMIT
        return min(counts[0] if counts else 0, settings.AXES_FAILURE_LIMIT - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        n, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return n
