"""The REST toolkit every app's JSON API builds on (Django REST framework glue): one error
shape (``errors``), authentication and the policy check (``permissions``), the OpenAPI
details every endpoint shares (``schema``), and the audited, policy-restricted base views
and fields (``views``, ``fields``). No domain rules and no app imports: it is part of the
bottom layer, so ``samplan.api`` (the spine's API and the /api/v1/ routes) and each app's
``api.py`` may use it alike."""
