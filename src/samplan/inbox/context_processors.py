from samplan.core import policy

from .models import Notification


def inbox(request):
    """The header's unread badge: one COUNT per staff request, none for anyone else."""
    user = getattr(request, "user", None)
    if not policy.has_capability(user, policy.INBOX_VIEW):
        return {"inbox": None}
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"inbox": {"unread": unread, "tasks": policy.has_capability(user, policy.TASK_VIEW)}}
