from regsys.scoping import scope_for


def scope(request) -> dict:
    """Expose the user's scope to templates (for showing edit buttons, unit names …)."""
    return {"user_scope": scope_for(getattr(request, "user", None))}
