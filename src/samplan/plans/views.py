"""Pages of the coherent plan: one URL and one short view per action.

Reading: the staff page (``plan-detail``), the citizen's own (``my-plan``), versions, diff,
PDF and the catalogue search for adding an offer. Every read writes one audit row and
never creates anything (an empty plan is shown unsaved until the first change).

Changing: each form of the page posts to its own URL — under ``/borgere/<pk>/plan/`` for
staff and under ``/mit/plan/`` for the citizen (behind Min side's second factor). A change
redirects back to the plan (HTMX swaps the section it belongs to); a refused one shows the
page again with the form, what was typed and the Danish reason (400). Who may do what is
the policy's; the rules are in ``services``."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from samplan.cases.models import FollowUp, Grant, InterventionGoal, Order
from samplan.citizens.models import Citizen
from samplan.core import audit, idempotency, policy
from samplan.core.models import Role
from samplan.core.steps import FAILED, apply, status_of
from samplan.portal.decorators import citizen_required

from . import diff, services
from .forms import (
    AgreementForm,
    CitizenGoalForm,
    EffortEditForm,
    EffortForm,
    GoalEditForm,
    GoalForm,
    MeetingForm,
    ProviderItemForm,
    StatusNoteForm,
    WishesForm,
)
from .models import Agreement, LifeDomain, PlanComment, PlanEffort, PlanGoal, PlanVersion, ProviderPlanItem, StatusNote

CITIZENS = Citizen.objects.select_related("coordinator", "caseworker")


def _staff_citizen(request, pk, action=policy.SEE_PLAN) -> Citizen:
    """The citizen of a staff plan URL (a relative with consent may read): 404/403 by the policy."""
    return policy.get_citizen(request.user, pk, action, CITIZENS)


class _Urls:
    """The plan's URLs for one audience: ``my-plan-…`` on Min side, ``plan-…`` for staff."""

    def __init__(self, citizen, me: bool):
        self.citizen, self.me = citizen, me

    def __call__(self, name: str, *args) -> str:
        if self.me:
            return reverse(f"my-plan-{name}", args=args)
        return reverse(f"plan-{name}", args=[self.citizen.pk, *args])

    @property
    def page(self) -> str:
        return reverse("my-plan") if self.me else reverse("plan-detail", args=[self.citizen.pk])


# --- Reading ---------------------------------------------------------------------------


def _goal_choices(citizen):
    goals = InterventionGoal.objects.filter(grant__case__citizen=citizen, grant__status=Grant.Status.ACTIVE).select_related(
        "goal_type", "condition__theme", "grant"
    )
    return [(g, f"{g.grant.get_legal_basis_display()}: {services.goal_label(g)}") for g in goals]


def _grant_choices(citizen):
    grants = Grant.objects.filter(case__citizen=citizen, status__in=[Grant.Status.ACTIVE, Grant.Status.PENDING]).select_related(
        "offer"
    )
    return [
        (g, f"{g.get_legal_basis_display()} – {g.offer.name} (fra {date_format(g.start_date, 'SHORT_DATE_FORMAT')})")
        for g in grants
    ]


def _offer_url(offer_id):
    try:
        return reverse("catalogue-detail", args=[offer_id])
    except NoReverseMatch:
        return None


def _load(request, citizen, plan):
    """Everything the page shows, in a fixed number of queries."""
    orders = list(
        policy.visible(request.user, Order.objects.filter(citizen=citizen))
        .select_related("provider", "grant", "provider_plan")
        .prefetch_related(
            Prefetch(
                "provider_plan__items",
                queryset=ProviderPlanItem.objects.select_related(
                    "intervention_goal__goal_type", "intervention_goal__condition__theme"
                ),
            ),
            Prefetch("status_notes", queryset=StatusNote.objects.select_related("author", "follow_up")),
            Prefetch("grant__goals", queryset=InterventionGoal.objects.select_related("goal_type", "condition__theme")),
            Prefetch("grant__follow_ups", queryset=FollowUp.objects.order_by("due_date")),
        )
        .order_by("-sent_at", "-id")
    )
    for order in orders:
        order.citizen = citizen  # the policy asks about the order's citizen: no query for it
    if plan.pk is None:
        return [], [], [], orders
    # One query for the comments of both goals and agreements.
    comments: dict[tuple[str, int | None], list] = {}
    for c in PlanComment.objects.filter(plan=plan).select_related("author").order_by("at", "id"):
        comments.setdefault(("goal", c.goal_id) if c.goal_id else ("agreement", c.agreement_id), []).append(c)
    goals = list(
        plan.goals.select_related(
            "intervention_goal__goal_type", "intervention_goal__condition__theme", "intervention_goal__grant"
        )
    )
    order_key = {d: i for i, d in enumerate(LifeDomain.values)}
    goals.sort(key=lambda g: (order_key.get(g.domain, 99), g.pk))
    efforts = list(plan.efforts.select_related("grant__offer", "offer"))
    for e in efforts:  # the offer's public page in the catalogue, for an effort built on one
        e.offer_url = _offer_url(e.offer_id) if e.offer_id else None
    agreements = list(plan.agreements.select_related("done_by"))
    for g in goals:
        g.comment_list = comments.get(("goal", g.pk), [])
    # The plan is shared, but a grant behind another provider's order is not: provider staff
    # see the effort and the goal without that grant's details.
    known = policy.known_grant_ids(request.user, orders)
    for e in efforts:
        e.shown_grant = e.grant if known is None or e.grant_id in known else None
    for g in goals:
        goal = g.intervention_goal
        g.shown_goal = goal if goal is not None and (known is None or goal.grant_id in known) else None
    for a in agreements:
        a.comment_list = comments.get(("agreement", a.pk), [])
    return goals, efforts, agreements, orders


def _page(request, citizen, *, me: bool, bound: tuple | None = None, status: int = 200) -> HttpResponse:
    """Render the plan page. ``bound`` = (key, form) of a refused POST to show again."""
    user = request.user
    plan = services.plan_of(citizen)
    goals, efforts, agreements, orders = _load(request, citizen, plan)
    rights = policy.plan_rights(user, citizen)
    url = _Urls(citizen, me)
    bound_key, bound_form = bound or (None, None)

    def form(key, factory):
        return bound_form if bound_key == key else factory()

    goal_choices = _goal_choices(citizen) if rights.edit else []
    grant_choices = _grant_choices(citizen) if rights.edit else []
    ctx = {
        "citizen": citizen,
        "plan": plan,
        "me": me,
        "goals": goals,
        "efforts": efforts,
        "agreements": agreements,
        "orders": orders,
        "can_edit": rights.edit,
        "can_edit_own": rights.edit_own,
        "can_comment": rights.comment,
        "contact": plan.contact_person,
        "today": timezone.localdate(),
        "relative": policy.is_relative(user),
    }
    if rights.edit or rights.edit_own:
        ctx["wishes_form"] = form(
            "wishes", lambda: WishesForm(initial={"wishes": plan.wishes, "version": plan.row_version}, prefix="wishes")
        )
        ctx["wishes_url"] = url("wishes")
    if rights.edit:
        ctx["meeting_form"] = form(
            "meeting",
            lambda: MeetingForm(initial={"next_meeting": plan.next_meeting, "version": plan.row_version}, prefix="meeting"),
        )
        ctx["goal_form"] = form("goal_add", lambda: GoalForm(intervention_goals=goal_choices, prefix="goal"))
        ctx["effort_form"] = form(
            "effort_add",
            lambda: EffortForm(grants=grant_choices, prefix="effort", initial={"status": PlanEffort.Status.ACTIVE}),
        )
        ctx["agreement_form"] = form("agreement_add", lambda: AgreementForm(prefix="agreement"))
        ctx.update(meeting_url=url("meeting"), goal_url=url("goal-add"), effort_url=url("effort-add"))
        ctx["agreement_url"] = url("agreement-add")
    # One item edited at a time (?ret=goal-5 or a refused edit).
    edit = bound_key if bound_key and bound_key.startswith(("goal-", "effort-")) else request.GET.get("ret", "")
    for g in goals:
        g.target = f"goal-{g.pk}"
        g.edit_form = None
        if rights.comment:
            g.comment_url = url("goal-comment", g.pk)
        if edit == g.target and (rights.edit or rights.edit_own):
            g.edit_url = url("goal-edit", g.pk)
            if bound_key == edit:
                g.edit_form = bound_form
            elif rights.edit:
                g.edit_form = GoalEditForm(
                    intervention_goals=goal_choices,
                    prefix="edit",
                    initial={
                        "domain": g.domain,
                        "citizen_wording": g.citizen_wording,
                        "intervention_goal": g.intervention_goal_id,
                        "version": g.row_version,
                    },
                )
            else:
                g.edit_form = CitizenGoalForm(
                    prefix="edit", initial={"citizen_wording": g.citizen_wording, "version": g.row_version}
                )
    for e in efforts:
        e.edit_form = None
        if edit == f"effort-{e.pk}" and rights.edit:
            e.edit_url = url("effort-edit", e.pk)
            e.edit_form = (
                bound_form
                if bound_key == edit
                else EffortEditForm(
                    grants=grant_choices,
                    prefix="edit",
                    initial={
                        "version": e.row_version,
                        "title": e.title,
                        "owner_kind": e.owner_kind,
                        "owner_name": e.owner_name,
                        "responsible": e.responsible,
                        "status": e.status,
                        "start": e.start,
                        "end": e.end,
                        "grant": e.grant_id,
                    },
                )
            )
    for a in agreements:
        a.target = f"agreement-{a.pk}"
        a.can_mark = rights.may_mark(a)
        if a.can_mark:
            a.mark_url = url("agreement-mark", a.pk)
        if rights.comment:
            a.comment_url = url("agreement-comment", a.pk)
    for order in orders:
        order.editable = policy.can(user, policy.EDIT_PROVIDER_PLAN, order)
        if order.editable:
            goal_opts = [(g, services.goal_label(g)) for g in order.grant.goals.all()]
            fu_opts = [
                (f, f"{f.get_kind_display()} senest {date_format(f.due_date, 'SHORT_DATE_FORMAT')}")
                for f in order.grant.follow_ups.all()
                if f.status == FollowUp.Status.PLANNED
            ]
            order.item_url = url("provider-item", order.pk)
            order.note_url = url("status-note", order.pk)
            order.item_form = form(
                f"item-{order.pk}",
                lambda o=order, g=goal_opts: ProviderItemForm(intervention_goals=g, prefix=f"item{o.pk}"),
            )
            order.note_form = form(
                f"note-{order.pk}", lambda o=order, f=fu_opts: StatusNoteForm(follow_ups=f, prefix=f"note{o.pk}")
            )
    if me and plan.pk is not None:
        ctx["recent"] = list(plan.versions.only("number", "changed_at", "summary")[:5])
    audit.record_read(user, plan, citizen=citizen, after={"shown": "my_plan" if me else "plan"})
    return render(request, "plans/plan.html", ctx, status=status)


@login_required
@require_safe
def plan_detail(request, pk):
    citizen = _staff_citizen(request, pk)
    if policy.is_citizen(request.user):
        return redirect("my-plan")
    return _page(request, citizen, me=False)


@citizen_required
@require_safe
def my_plan(request):
    return _page(request, policy.require_own_citizen(request.user), me=True)


@login_required
@require_safe
def plan_versions(request, pk):
    citizen = _staff_citizen(request, pk, policy.VIEW_PLAN)
    plan = services.plan_of(citizen)
    versions = list(plan.versions.select_related("changed_by").defer("snapshot")) if plan.pk else []
    audit.record_read(request.user, plan, citizen=citizen, after={"shown": "plan_versions"})
    return render(
        request,
        "plans/versions.html",
        {"citizen": citizen, "plan": plan, "versions": versions, "roles": dict(Role.choices)},
    )


@login_required
@require_safe
def plan_diff(request, pk):
    citizen = _staff_citizen(request, pk, policy.VIEW_PLAN)
    plan = services.plan_of(citizen)
    til, fra = request.GET.get("til", ""), request.GET.get("fra", "")
    til = int(til) if til.isdigit() else plan.version
    fra = int(fra) if fra.isdigit() else til - 1
    if plan.version == 0:
        audit.record_read(request.user, plan, citizen=citizen, after={"shown": "plan_diff"})
        return render(request, "plans/diff.html", {"citizen": citizen, "plan": plan, "changes": [], "empty": True})
    new = get_object_or_404(PlanVersion.objects.filter(plan=plan), number=til)
    old = PlanVersion.objects.filter(plan=plan, number=fra).first() if fra > 0 else None
    if fra > 0 and old is None:
        raise Http404("Versionen findes ikke.")
    changes = diff.compare(old.snapshot if old else {}, new.snapshot)
    audit.record_read(request.user, plan, citizen=citizen, after={"shown": "plan_diff", "from": fra, "to": til})
    return render(
        request,
        "plans/diff.html",
        {
            "citizen": citizen,
            "plan": plan,
            "old": old,
            "new": new,
            "changes": changes,
            "numbers": range(plan.version, 0, -1),
            "fra": fra,
            "til": til,
        },
    )


def _pdf(request, citizen):
    from samplan.core import pdf as pdf_render

    plan = services.plan_of(citizen)
    goals, efforts, agreements, orders = _load(request, citizen, plan)
    pdf = pdf_render.render(
        "plans/plan_pdf.html",
        {
            "citizen": citizen,
            "plan": plan,
            "goals": goals,
            "efforts": efforts,
            "agreements": agreements,
            "orders": orders,
            "contact": plan.contact_person,
            "printed": timezone.localtime(),
        },
        base_url=str(request.build_absolute_uri("/")),
    )
    audit.record_read(request.user, plan, citizen=citizen, after={"shown": "plan_pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="min-plan.pdf"'
    return response


@login_required
@require_safe
def plan_pdf(request, pk):
    return _pdf(request, _staff_citizen(request, pk))


@citizen_required
@require_safe
def my_plan_pdf(request):
    return _pdf(request, policy.require_own_citizen(request.user))


# --- Changing: one view per action, for staff and (where theirs) the citizen ---------------

Handler = Callable[..., HttpResponse]


def _for_staff(handler: Handler) -> Handler:
    """The staff URL of an action: /borgere/<pk>/plan/…"""

    @login_required
    @require_POST
    @wraps(handler)
    def view(request, pk, **ids):
        citizen = _staff_citizen(request, pk, policy.VIEW)
        if policy.is_portal_user(request.user):  # the citizen changes their plan on Min side
            raise PermissionDenied(policy.NOT_YOURS)
        return handler(request, citizen, False, **ids)

    return view


def _for_citizen(handler: Handler) -> Handler:
    """The citizen's URL of an action: /mit/plan/… (Min side's second factor)."""

    @citizen_required
    @require_POST
    @wraps(handler)
    def view(request, **ids):
        return handler(request, policy.require_own_citizen(request.user), True, **ids)

    return view


def _done(request, citizen, me: bool, message: str, section: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{_Urls(citizen, me).page}#{section}")


def _step(request, citizen, me, key, form, run, message, section) -> HttpResponse:
    """Validate → call the service → back to the plan, or the page with the refused form.
    A form's token makes the change happen once: a repeated submit is sent back to the plan."""
    target = f"{_Urls(citizen, me).page}#{section}"
    result = idempotency.submit_once(request, lambda: apply(form, run), lambda _: target)
    if isinstance(result, HttpResponse):
        return result
    if result is FAILED:
        return _page(request, citizen, me=me, bound=(key, form), status=status_of(form))
    return _done(request, citizen, me, message, section)


def _item(model, citizen, pk):
    """A goal, effort or agreement of the citizen's plan (404 for anything else)."""
    return get_object_or_404(model.objects.select_related("plan__citizen"), pk=pk, plan__citizen=citizen)


def _versioned(data: dict) -> dict:
    """A versioned form's cleaned data as service arguments: ``version`` → ``expected_version``."""
    data = dict(data)
    data["expected_version"] = data.pop("version")
    return data


def _wishes(request, citizen, me):
    policy.require(request.user, policy.EDIT_OWN_PLAN if me else policy.EDIT_PLAN, citizen)
    return _step(
        request,
        citizen,
        me,
        "wishes",
        WishesForm(request.POST, prefix="wishes"),
        lambda d: services.update_wishes(
            request.user, services.get_or_create_plan(citizen, request.user), d["wishes"], expected_version=d["version"]
        ),
        "'Mit liv og mine ønsker' er gemt.",
        "wishes",
    )


def _next_meeting(request, citizen, me):
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _step(
        request,
        citizen,
        me,
        "meeting",
        MeetingForm(request.POST, prefix="meeting"),
        lambda d: services.set_next_meeting(
            request.user,
            services.get_or_create_plan(citizen, request.user),
            d["next_meeting"],
            expected_version=d["version"],
        ),
        "Datoen for næste møde er gemt.",
        "plan-top",
    )


def _goal_add(request, citizen, me):
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    form = GoalForm(request.POST, intervention_goals=_goal_choices(citizen), prefix="goal")
    return _step(
        request,
        citizen,
        me,
        "goal_add",
        form,
        lambda d: services.add_goal(request.user, services.get_or_create_plan(citizen, request.user), **d),
        "Målet er tilføjet.",
        "goals",
    )


def _goal_edit(request, citizen, me, item):
    goal = _item(PlanGoal, citizen, item)
    if me:
        policy.require(request.user, policy.EDIT_OWN_PLAN, citizen)
        form: CitizenGoalForm | GoalEditForm = CitizenGoalForm(request.POST, prefix="edit")

        def run(d):
            return services.update_goal(request.user, goal, citizen_wording=d["citizen_wording"], expected_version=d["version"])
    else:
        policy.require(request.user, policy.EDIT_PLAN, citizen)
        form = GoalEditForm(request.POST, intervention_goals=_goal_choices(citizen), prefix="edit")

        def run(d):
            return services.update_goal(request.user, goal, **_versioned(d))

    return _step(request, citizen, me, f"goal-{goal.pk}", form, run, "Målet er gemt.", "goals")


def _effort_add(request, citizen, me):
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _step(
        request,
        citizen,
        me,
        "effort_add",
        EffortForm(request.POST, grants=_grant_choices(citizen), prefix="effort"),
        lambda d: services.add_effort(request.user, services.get_or_create_plan(citizen, request.user), **d),
        "Indsatsen er tilføjet.",
        "efforts",
    )


def _effort_edit(request, citizen, me, item):
    effort = _item(PlanEffort, citizen, item)
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _step(
        request,
        citizen,
        me,
        f"effort-{effort.pk}",
        EffortEditForm(request.POST, grants=_grant_choices(citizen), prefix="edit"),
        lambda d: services.update_effort(request.user, effort, **_versioned(d)),
        "Indsatsen er gemt.",
        "efforts",
    )


def _agreement_add(request, citizen, me):
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _step(
        request,
        citizen,
        me,
        "agreement_add",
        AgreementForm(request.POST, prefix="agreement"),
        lambda d: services.add_agreement(request.user, services.get_or_create_plan(citizen, request.user), **d),
        "Aftalen er tilføjet.",
        "agreements",
    )


def _agreement_mark(request, citizen, me, item):
    agreement = _item(Agreement, citizen, item)
    policy.require(request.user, policy.MARK_AGREEMENT, agreement)
    services.mark_agreement(request.user, agreement, request.POST.get("done") == "1")
    return _done(request, citizen, me, "Aftalen er opdateret.", "agreements")


def _comment(model, section: str) -> Handler:
    def handler(request, citizen, me, item):
        target = _item(model, citizen, item)
        policy.require(request.user, policy.COMMENT_PLAN, target)

        def add():
            try:
                return services.add_comment(request.user, target, request.POST.get("text", ""))
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
                return FAILED

        result = idempotency.submit_once(request, add, lambda _: f"{_Urls(citizen, me).page}#{section}")
        if isinstance(result, HttpResponse):
            return result
        if result is FAILED:
            return _page(request, citizen, me=me, status=400)
        return _done(request, citizen, me, "Din kommentar er gemt.", section)

    return handler


def _order(request, citizen, order_pk) -> Order:
    order = policy.get_object(
        request.user,
        Order.objects.select_related("citizen", "provider", "grant").filter(citizen=citizen),
        order_pk,
        policy.EDIT_PROVIDER_PLAN,
    )
    return order


def _provider_item(request, citizen, me, order):
    order = _order(request, citizen, order)
    goals = [
        (g, services.goal_label(g))
        for g in InterventionGoal.objects.filter(grant=order.grant).select_related("goal_type", "condition__theme")
    ]
    return _step(
        request,
        citizen,
        me,
        f"item-{order.pk}",
        ProviderItemForm(request.POST, intervention_goals=goals, prefix=f"item{order.pk}"),
        lambda d: services.add_provider_item(request.user, order, **d),
        "Punktet i den pædagogiske plan er gemt.",
        "provider",
    )


def _status_note(request, citizen, me, order):
    order = _order(request, citizen, order)
    follow_ups = [(fu, str(fu.due_date)) for fu in FollowUp.objects.filter(grant=order.grant, status=FollowUp.Status.PLANNED)]
    return _step(
        request,
        citizen,
        me,
        f"note-{order.pk}",
        StatusNoteForm(request.POST, follow_ups=follow_ups, prefix=f"note{order.pk}"),
        lambda d: services.add_status_note(request.user, order, **d),
        "Statusnotatet er gemt.",
        "provider",
    )


_goal_comment = _comment(PlanGoal, "goals")
_agreement_comment = _comment(Agreement, "agreements")

plan_wishes = _for_staff(_wishes)
plan_meeting = _for_staff(_next_meeting)
plan_goal_add = _for_staff(_goal_add)
plan_goal_edit = _for_staff(_goal_edit)
plan_goal_comment = _for_staff(_goal_comment)
plan_effort_add = _for_staff(_effort_add)
plan_effort_edit = _for_staff(_effort_edit)
plan_agreement_add = _for_staff(_agreement_add)
plan_agreement_mark = _for_staff(_agreement_mark)
plan_agreement_comment = _for_staff(_agreement_comment)
plan_provider_item = _for_staff(_provider_item)
plan_status_note = _for_staff(_status_note)

my_plan_wishes = _for_citizen(_wishes)
my_plan_goal_edit = _for_citizen(_goal_edit)
my_plan_goal_comment = _for_citizen(_goal_comment)
my_plan_agreement_mark = _for_citizen(_agreement_mark)
my_plan_agreement_comment = _for_citizen(_agreement_comment)


# --- Adding an offer or a course from the catalogue ---------------------------------------

OFFERS_PER_PAGE = 20


def _catalogue_offers(q: str):
    """Published offers matching ``q`` (the catalogue's Danish search), with the first
    course date of recovery-school courses, in a fixed number of queries."""
    from django.db.models import OuterRef, Subquery

    from samplan.catalogue import search
    from samplan.courses.models import Session

    first_session = Session.objects.filter(course__offer=OuterRef("pk")).order_by("date").values("date")[:1]
    return search.search(search.public_offers(), q).select_related("owner").annotate(first_session=Subquery(first_session))


def _offers_page(request, citizen, *, me: bool):
    """GET: search the catalogue; POST ``offer``: add it to the plan (then back to the plan)."""
    from samplan.catalogue.models import Offer

    user = request.user
    plan = services.plan_of(citizen)
    plan_url = _Urls(citizen, me).page
    status = 200
    if request.method == "POST":
        offer_id = request.POST.get("offer", "")
        if not offer_id.isdigit():
            raise Http404("Siden findes ikke.")
        offer = get_object_or_404(Offer.objects.select_related("owner__parent"), pk=int(offer_id), published=True)
        try:
            services.add_offer_effort(user, citizen, offer)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            status = 400
        else:
            messages.success(request, f"»{offer.title}« er føjet til {'din plan' if me else 'planen'}.")
            return redirect(f"{plan_url}#efforts")
    q = (request.GET.get("q") or request.POST.get("q") or "").strip()[:200]
    page = Paginator(_catalogue_offers(q), OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    in_plan = services.active_offer_ids(plan)
    for offer in page.object_list:
        offer.in_plan = offer.pk in in_plan
    audit.record_read(user, plan, citizen=citizen, after={"shown": "my_plan_offers" if me else "plan_offers"})
    return render(
        request,
        "plans/offers.html",
        {"citizen": citizen, "plan": plan, "me": me, "q": q, "page": page, "plan_url": plan_url, "here": request.path},
        status=status,
    )


@login_required
def plan_offers(request, pk):
    citizen = _staff_citizen(request, pk, policy.VIEW)
    if policy.is_citizen(request.user):
        return redirect("my-plan-offers")
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _offers_page(request, citizen, me=False)


@citizen_required
def my_plan_offers(request):
    citizen = policy.require_own_citizen(request.user)
    policy.require(request.user, policy.EDIT_OWN_PLAN, citizen)
    return _offers_page(request, citizen, me=True)
