from . import policy


def navigation(request):
    """What the header menu may show; the policy decides, templates only render."""
    user = getattr(request, "user", None)
    # One query for both partner links (remembered for the request), none for visitors.
    has_partner = policy.has_partner(user)
    return {
        "nav": {
            "worklist": policy.has_capability(user, policy.VIEW_CASEWORKER_WORKLIST),
            "orders": policy.has_capability(user, policy.VIEW_PROVIDER_WORKLIST),
            "search": policy.has_capability(user, policy.SEARCH_CITIZENS),
            "audit": policy.has_capability(user, policy.VIEW_AUDIT),
            "api_tokens_admin": policy.has_capability(user, policy.MANAGE_API_TOKENS),
            "api_tokens": policy.is_staff_user(user),  # staff use the API; their own tokens
            "aggregates": policy.has_capability(user, policy.VIEW_AGGREGATES),
            "reports": policy.has_capability(user, policy.VIEW_REPORTS),
            "grants_ending": policy.has_capability(user, policy.VIEW_GRANTS_ENDING),
            "standards": policy.has_capability(user, policy.VIEW_STANDARDS),
            "committee": policy.has_capability(user, policy.REVIEW_GRANTS),
            "catalogue_manage": policy.has_capability(user, policy.MANAGE_CATALOGUE),
            "course_admin": has_partner,
            "course_reports": policy.may_view_course_reports(user),
            "citizen": policy.is_citizen(user),  # Min side's menu of the citizen's own pages
        }
    }
