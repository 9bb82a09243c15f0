from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangvu.core.dates import today
from dangvu.core.models import Notification
from dangvu.members import selectors as members
from dangvu.members.models import Status
from dangvu.organizations.pages import scope_org
from dangvu.organizations.selectors import org_ancestors, user_roots

from . import selectors as sel

_ORDER = {sel.LATE: 0, sel.TODO: 1, sel.DONE: 2}


@login_required
def home(request):
    """The first page after login: what is due in the working scope, soonest first."""
    roots = user_roots(request.user)
    notes = list(Notification.objects.filter(user=request.user, read_at__isnull=True)[:5])
    if not roots:
        return render(request, "home/home.html", {"roots": [], "notes": notes})
    org = scope_org(request)
    on = today()
    agenda = sel.agenda(request.user, org, on)
    agenda.items.sort(key=lambda i: (_ORDER[i.state], i.due is None, i.due or on))
    counts = members.counts_by_status(request.user, org)
    return render(request, "home/home.html", {
        "org": org, "roots": [r.org for r in roots], "ancestors": org_ancestors(request.user, org), "on": on,
        "agenda": agenda, "notes": notes,
        "figures": [(label, counts.get(value, 0)) for value, label in Status.choices[:4]],
    })  # fmt: skip
