"""The user's in-app notifications (meeting notices, …)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def notifications(request):
    qs = Notification.objects.filter(user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of the user's own notifications as read and follow its link (another user's is 404)."""
    n = Notification.objects.filter(user=request.user, pk=pk).first()
    if n is None:
        from django.http import Http404

        raise Http404(pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return redirect(n.url or "notifications")
