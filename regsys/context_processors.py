from regsys.scoping import scope_for


def scope(request) -> dict:
    """Expose the user's scope to templates (for showing edit buttons, unit names …)."""
    return {"user_scope": scope_for(getattr(request, "user", None))}


def notifications(request) -> dict:
    """The navbar badge: the user's unread notifications (one count on an indexed column), counted only
    when a template shows it, and once per request."""
    from functools import cache

    from regsys.notifications import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread_count": cache(lambda: unread_count(user))}
