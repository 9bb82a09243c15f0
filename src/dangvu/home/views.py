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


@login_required
def search(request):
    """The header's search: members, organisations and dossiers in the user's scope, by words without diacritics
    (or a card number, a citizen ID), ten of each with a link to the full list."""
    from dangvu.dossiers import selectors as dossiers
    from dangvu.members.selectors import Filters, member_list
    from dangvu.organizations.selectors import as_row, org_list

    q = (request.GET.get("q") or "").strip()[:100]
    ctx = {"q": q}
    if q:
        people = member_list(request.user, f=Filters(q=q, status=""))  # also those who left
        orgs = org_list(request.user, q=q)
        files = dossiers.search(request.user, q=q)
        ctx.update(
            members=list(people[:10]), members_count=people.count(),
            orgs=[as_row(o) for o in orgs[:10]], orgs_count=orgs.count(),
            dossiers=list(files[:10]), dossiers_count=files.count(),
        )  # fmt: skip
    return render(request, "home/search.html", ctx)
