"""Thin pages of the coherent plan: fetch through the policy, validate a form, call a
service, render. Every read writes one audit row.

One page per audience: staff ("plan-detail") and the citizen ("my-plan") share the same
template and the same POST handling; which forms appear is decided by the policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from samplan.cases.models import FollowUp, Grant, InterventionGoal, Order
from samplan.citizens.models import Citizen
from samplan.core import audit, policy
from samplan.core.models import Role
from samplan.portal.decorators import citizen_required

from . import diff, services
from .forms import AgreementForm, CitizenGoalForm, EffortForm, GoalForm, MeetingForm, ProviderItemForm, StatusNoteForm, WishesForm
from .models import Agreement, LifeDomain, PlanComment, PlanEffort, PlanGoal, PlanVersion, ProviderPlanItem, StatusNote


def _staff_citizen(request, pk, *, relatives=False):
    if relatives and request.user.role == Role.RELATIVE:
        # A relative reads the plan only while the citizen's consent allows it (404 when
        # not linked at all, 403 when linked without consent).
        citizen = get_object_or_404(Citizen.objects.select_related("coordinator", "caseworker"), pk=pk)
        policy.require(request.user, policy.SEE_PLAN, citizen)
        return citizen
    citizen = get_object_or_404(policy.citizens_for(request.user).select_related("coordinator", "caseworker"), pk=pk)
    policy.require(request.user, policy.VIEW_PLAN, citizen)
    return citizen


def _own_citizen(request):
    if request.user.role != Role.CITIZEN:
        raise Http404("Siden findes ikke.")
    citizen = policy.citizens_for(request.user).select_related("coordinator", "caseworker").filter(user=request.user).first()
    if citizen is None:
        raise Http404("Siden findes ikke.")
    policy.require(request.user, policy.VIEW_PLAN, citizen)
    return citizen


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
    comments = Prefetch("comments", queryset=PlanComment.objects.select_related("author"))
    goals = list(
        plan.goals.select_related(
            "intervention_goal__goal_type", "intervention_goal__condition__theme", "intervention_goal__grant"
        ).prefetch_related(comments)
    )
    order_key = {d: i for i, d in enumerate(LifeDomain.values)}
    goals.sort(key=lambda g: (order_key.get(g.domain, 99), g.pk))
    efforts = list(plan.efforts.select_related("grant__offer", "offer"))
    for e in efforts:  # the offer's public page in the catalogue, for an effort built on one
        e.offer_url = _offer_url(e.offer_id) if e.offer_id else None
    agreements = list(plan.agreements.select_related("done_by").prefetch_related(comments))
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
            "grant__goals__goal_type",
            "grant__goals__condition__theme",
            Prefetch("grant__follow_ups", queryset=FollowUp.objects.order_by("due_date")),
        )
        .order_by("-sent_at", "-id")
    )
    return goals, efforts, agreements, orders


def _page(request, citizen, *, me: bool, bound=None, status=200):
    """Render the plan page. ``bound`` = (key, form) of a refused POST to show again."""
    user = request.user
    plan = services.get_or_create_plan(citizen, user)
    goals, efforts, agreements, orders = _load(request, citizen, plan)
    can_edit = policy.can(user, policy.EDIT_PLAN, citizen)
    can_edit_own = policy.can(user, policy.EDIT_OWN_PLAN, citizen)
    can_comment = policy.can(user, policy.COMMENT_PLAN, citizen)
    bound_key, bound_form = bound or (None, None)

    def form(key, factory):
        return bound_form if bound_key == key else factory()

    goal_choices = _goal_choices(citizen) if can_edit else []
    ctx = {
        "citizen": citizen,
        "plan": plan,
        "me": me,
        "goals": goals,
        "efforts": efforts,
        "agreements": agreements,
        "orders": orders,
        "can_edit": can_edit,
        "can_edit_own": can_edit_own,
        "can_comment": can_comment,
        "contact": plan.contact_person,
        "today": timezone.localdate(),
        "relative": user.role == Role.RELATIVE,
    }
    if can_edit or can_edit_own:
        ctx["wishes_form"] = form("wishes", lambda: WishesForm(initial={"wishes": plan.wishes}, prefix="wishes"))
    if can_edit:
        grant_choices = _grant_choices(citizen)
        ctx["meeting_form"] = form("meeting", lambda: MeetingForm(initial={"next_meeting": plan.next_meeting}, prefix="meeting"))
        ctx["goal_form"] = form("goal_add", lambda: GoalForm(intervention_goals=goal_choices, prefix="goal"))
        ctx["effort_form"] = form(
            "effort_add", lambda: EffortForm(grants=grant_choices, prefix="effort", initial={"status": PlanEffort.Status.ACTIVE})
        )
        ctx["agreement_form"] = form("agreement_add", lambda: AgreementForm(prefix="agreement"))
    # One item edited at a time (?ret=goal-5 or a refused edit).
    edit = bound_key if bound_key and bound_key.startswith(("goal-", "effort-")) else request.GET.get("ret", "")
    for g in goals:
        g.target = f"goal-{g.pk}"
        g.edit_form = None
        if edit == g.target and (can_edit or can_edit_own):
            if bound_key == edit:
                g.edit_form = bound_form
            elif can_edit:
                g.edit_form = GoalForm(
                    intervention_goals=goal_choices,
                    prefix="edit",
                    initial={
                        "domain": g.domain,
                        "citizen_wording": g.citizen_wording,
                        "intervention_goal": g.intervention_goal_id,
                    },
                )
            else:
                g.edit_form = CitizenGoalForm(prefix="edit", initial={"citizen_wording": g.citizen_wording})
    for e in efforts:
        e.edit_form = None
        if edit == f"effort-{e.pk}" and can_edit:
            e.edit_form = (
                bound_form
                if bound_key == edit
                else EffortForm(
                    grants=_grant_choices(citizen),
                    prefix="edit",
                    initial={
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
        a.can_mark = policy.may_mark_agreement({"edit": can_edit, "edit_own": can_edit_own}, a)
    for order in orders:
        order.editable = policy.can(user, policy.EDIT_PROVIDER_PLAN, order)
        if order.editable:
            goal_opts = [(g, services.goal_label(g)) for g in order.grant.goals.all()]
            fu_opts = [
                (f, f"{f.get_kind_display()} senest {date_format(f.due_date, 'SHORT_DATE_FORMAT')}")
                for f in order.grant.follow_ups.all()
                if f.status == FollowUp.Status.PLANNED
            ]
            order.item_form = form(
                f"item-{order.pk}", lambda o=order, g=goal_opts: ProviderItemForm(intervention_goals=g, prefix=f"item{o.pk}")
            )
            order.note_form = form(
                f"note-{order.pk}", lambda o=order, f=fu_opts: StatusNoteForm(follow_ups=f, prefix=f"note{o.pk}")
            )
    if me:
        ctx["recent"] = list(plan.versions.only("number", "changed_at", "summary")[:5])
    audit.record_read(user, plan, citizen=citizen, after={"shown": "my_plan" if me else "plan"})
    return render(request, "plans/plan.html", ctx, status=status)


def _handle_post(request, citizen, me: bool):
    user = request.user
    plan = services.get_or_create_plan(citizen, user)
    action = request.POST.get("action", "")
    data = request.POST
    target_id = data.get("id", "")

    def obj(model):
        if not target_id.isdigit():
            raise Http404("Siden findes ikke.")
        return get_object_or_404(model.objects.select_related("plan__citizen"), pk=int(target_id), plan=plan)

    def order_obj():
        if not target_id.isdigit():
            raise Http404("Siden findes ikke.")
        return get_object_or_404(
            policy.visible(user, Order.objects.select_related("citizen", "provider", "grant").filter(citizen=citizen)),
            pk=int(target_id),
        )

    def either(*actions):
        if not any(policy.can(user, a, citizen) for a in actions):
            policy.require(user, actions[0], citizen)

    # (key, form, run, success message)
    if action == "wishes":
        either(policy.EDIT_PLAN, policy.EDIT_OWN_PLAN)
        f = WishesForm(data, prefix="wishes")
        steps = ("wishes", f, lambda d: services.update_wishes(user, plan, d["wishes"]), "'Mit liv og mine ønsker' er gemt.")
    elif action == "meeting":
        policy.require(user, policy.EDIT_PLAN, citizen)
        f = MeetingForm(data, prefix="meeting")
        steps = (
            "meeting",
            f,
            lambda d: services.set_next_meeting(user, plan, d["next_meeting"]),
            "Datoen for næste møde er gemt.",
        )
    elif action == "goal_add":
        policy.require(user, policy.EDIT_PLAN, citizen)
        f = GoalForm(data, intervention_goals=_goal_choices(citizen), prefix="goal")
        steps = ("goal_add", f, lambda d: services.add_goal(user, plan, **d), "Målet er tilføjet.")
    elif action == "goal_edit":
        goal = obj(PlanGoal)
        either(policy.EDIT_PLAN, policy.EDIT_OWN_PLAN)
        if policy.can(user, policy.EDIT_PLAN, citizen):
            f = GoalForm(data, intervention_goals=_goal_choices(citizen), prefix="edit")
            run = lambda d: services.update_goal(user, goal, **d)  # noqa: E731
        else:
            f = CitizenGoalForm(data, prefix="edit")
            run = lambda d: services.update_goal(user, goal, citizen_wording=d["citizen_wording"])  # noqa: E731
        steps = (f"goal-{goal.pk}", f, run, "Målet er gemt.")
    elif action == "effort_add":
        policy.require(user, policy.EDIT_PLAN, citizen)
        f = EffortForm(data, grants=_grant_choices(citizen), prefix="effort")
        steps = ("effort_add", f, lambda d: services.add_effort(user, plan, **d), "Indsatsen er tilføjet.")
    elif action == "effort_edit":
        effort = obj(PlanEffort)
        policy.require(user, policy.EDIT_PLAN, citizen)
        f = EffortForm(data, grants=_grant_choices(citizen), prefix="edit")
        steps = (f"effort-{effort.pk}", f, lambda d: services.update_effort(user, effort, **d), "Indsatsen er gemt.")
    elif action == "agreement_add":
        policy.require(user, policy.EDIT_PLAN, citizen)
        f = AgreementForm(data, prefix="agreement")
        steps = ("agreement_add", f, lambda d: services.add_agreement(user, plan, **d), "Aftalen er tilføjet.")
    elif action == "agreement_mark":
        agreement = obj(Agreement)
        policy.require(user, policy.MARK_AGREEMENT, agreement)
        services.mark_agreement(user, agreement, data.get("done") == "1")
        messages.success(request, "Aftalen er opdateret.")
        return None
    elif action == "comment":
        kind, _, pk = data.get("target", "").partition("-")
        model = {"goal": PlanGoal, "agreement": Agreement}.get(kind)
        if model is None or not pk.isdigit():
            raise Http404("Siden findes ikke.")
        target = get_object_or_404(model.objects.select_related("plan__citizen"), pk=int(pk), plan=plan)
        policy.require(user, policy.COMMENT_PLAN, target)
        try:
            services.add_comment(user, target, data.get("text", ""))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return 400
        messages.success(request, "Din kommentar er gemt.")
        return None
    elif action == "provider_item":
        order = order_obj()
        policy.require(user, policy.EDIT_PROVIDER_PLAN, order)
        goals = [
            (g, services.goal_label(g))
            for g in InterventionGoal.objects.filter(grant=order.grant).select_related("goal_type", "condition__theme")
        ]
        f = ProviderItemForm(data, intervention_goals=goals, prefix=f"item{order.pk}")
        steps = (
            f"item-{order.pk}",
            f,
            lambda d: services.add_provider_item(user, order, **d),
            "Punktet i den pædagogiske plan er gemt.",
        )
    elif action == "status_note":
        order = order_obj()
        policy.require(user, policy.EDIT_PROVIDER_PLAN, order)
        fus = [(fu, str(fu.due_date)) for fu in FollowUp.objects.filter(grant=order.grant, status=FollowUp.Status.PLANNED)]
        f = StatusNoteForm(data, follow_ups=fus, prefix=f"note{order.pk}")
        steps = (f"note-{order.pk}", f, lambda d: services.add_status_note(user, order, **d), "Statusnotatet er gemt.")
    else:
        return 400
    key, f, run, success = steps
    if f.is_valid():
        try:
            run(f.cleaned_data)
        except ValidationError as e:
            f.add_domain_error(e)
        else:
            messages.success(request, success)
            return None
    return (key, f)


def _plan_view(request, citizen, *, me: bool, here: str):
    if request.method == "POST":
        result = _handle_post(request, citizen, me)
        if result is None:
            return redirect(here)
        if result == 400:
            return _page(request, citizen, me=me, status=400)
        return _page(request, citizen, me=me, bound=result, status=400)
    return _page(request, citizen, me=me)


@login_required
def plan_detail(request, pk):
    citizen = _staff_citizen(request, pk, relatives=True)
    if request.user.role == Role.CITIZEN:
        return redirect("my-plan")
    if request.user.role == Role.RELATIVE:
        if request.method != "GET":
            raise PermissionDenied("Du kan se planen, men ikke ændre den.")
        return _page(request, citizen, me=False)
    return _plan_view(request, citizen, me=False, here=request.path)


@citizen_required
def my_plan(request):
    citizen = _own_citizen(request)
    return _plan_view(request, citizen, me=True, here=request.path)


@login_required
def plan_versions(request, pk):
    citizen = _staff_citizen(request, pk)
    plan = services.get_or_create_plan(citizen, request.user)
    versions = list(plan.versions.select_related("changed_by").defer("snapshot"))
    audit.record_read(request.user, plan, citizen=citizen, after={"shown": "plan_versions"})
    return render(
        request, "plans/versions.html", {"citizen": citizen, "plan": plan, "versions": versions, "roles": dict(Role.choices)}
    )


@login_required
def plan_diff(request, pk):
    citizen = _staff_citizen(request, pk)
    plan = services.get_or_create_plan(citizen, request.user)
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

    plan = services.get_or_create_plan(citizen, request.user)
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
def plan_pdf(request, pk):
    return _pdf(request, _staff_citizen(request, pk, relatives=True))


@citizen_required
def my_plan_pdf(request):
    return _pdf(request, _own_citizen(request))


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
    from django.core.paginator import Paginator

    from samplan.catalogue.models import Offer

    user = request.user
    plan = services.get_or_create_plan(citizen, user)
    plan_url = reverse("my-plan") if me else reverse("plan-detail", args=[citizen.pk])
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
        {
            "citizen": citizen,
            "plan": plan,
            "me": me,
            "q": q,
            "page": page,
            "plan_url": plan_url,
            "here": request.path,
        },
        status=status,
    )


@login_required
def plan_offers(request, pk):
    citizen = _staff_citizen(request, pk)
    if request.user.role == Role.CITIZEN:
        return redirect("my-plan-offers")
    policy.require(request.user, policy.EDIT_PLAN, citizen)
    return _offers_page(request, citizen, me=False)


@citizen_required
def my_plan_offers(request):
    citizen = _own_citizen(request)
    policy.require(request.user, policy.EDIT_OWN_PLAN, citizen)
    return _offers_page(request, citizen, me=True)
