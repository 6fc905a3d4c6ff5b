"""Demo plan for the demo citizen (``borger``): wishes in her/his own words, goals on life
domains (one linked to the grant's intervention goal), efforts from the municipality and
civil society, agreements (one the citizen owns), a pedagogical plan and a status note.
Written through the services, so every step is a version with who and when."""

import datetime as dt

from django.utils import timezone

from samplan.cases.models import FollowUp, Grant, InterventionGoal, Order
from samplan.plans import services
from samplan.plans.models import LifeDomain, PlanEffort, ProviderPlanItem


def seed_demo_plan(citizen, *, editor, provider_user=None):
    today = timezone.localdate()
    plan = services.get_or_create_plan(citizen, editor)
    author = citizen.user or editor
    services.update_wishes(
        author,
        plan,
        (
            "Jeg vil gerne have et liv, hvor jeg selv bestemmer over min hverdag. Jeg drømmer om at tage en uddannelse "
            "som gartner og om at have et par gode venner, jeg kan ringe til. Jeg vil gerne blive boende i min lejlighed."
        ),
    )
    services.set_next_meeting(editor, plan, today + dt.timedelta(days=21))
    goal = InterventionGoal.objects.filter(grant__case__citizen=citizen, grant__status=Grant.Status.ACTIVE).first()
    services.add_goal(
        editor,
        plan,
        domain=LifeDomain.HOME,
        intervention_goal=goal,
        citizen_wording="Jeg vil kunne klare mine indkøb og min post selv, så jeg kan blive boende.",
    )
    services.add_goal(
        editor, plan, domain=LifeDomain.EDUCATION_WORK, citizen_wording="Jeg vil undersøge, om jeg kan begynde på gartnerskolen."
    )
    services.add_goal(
        editor, plan, domain=LifeDomain.SOCIAL, citizen_wording="Jeg vil gerne have nogen at gå en tur med hver uge."
    )
    services.add_goal(editor, plan, domain=LifeDomain.HEALTH, citizen_wording="Jeg vil sove bedre og have mere energi om dagen.")
    grant = goal.grant if goal else Grant.objects.filter(case__citizen=citizen, status=Grant.Status.ACTIVE).first()
    if grant is not None:
        services.add_effort(
            editor,
            plan,
            owner_kind=PlanEffort.OwnerKind.GRANT,
            title="Socialpædagogisk støtte i hjemmet",
            grant=grant,
            responsible=provider_user.get_full_name() if provider_user else "",
            status=PlanEffort.Status.ACTIVE,
        )
    services.add_effort(
        editor,
        plan,
        owner_kind=PlanEffort.OwnerKind.CIVIL,
        title="Gåtur i Dyrehaven med Sind-gruppen",
        owner_name="Sind Lyngby-Taarbæk",
        responsible="Frivillig: Ib",
        status=PlanEffort.Status.ACTIVE,
        start=today - dt.timedelta(days=30),
    )
    services.add_effort(
        editor,
        plan,
        owner_kind=PlanEffort.OwnerKind.REGION,
        title="Samtaler i distriktspsykiatrien",
        owner_name="Distriktspsykiatrien Gladsaxe",
        status=PlanEffort.Status.ACTIVE,
    )
    services.add_effort(
        editor,
        plan,
        owner_kind=PlanEffort.OwnerKind.PEER,
        title="Recovery-kursus på Skole på Tværs",
        owner_name="Skole på Tværs",
        status=PlanEffort.Status.PLANNED,
        start=today + dt.timedelta(days=45),
    )
    services.add_agreement(
        editor,
        plan,
        who=citizen.first_name,
        responsible_is_citizen=True,
        due=today + dt.timedelta(days=14),
        what="Ringer til gartnerskolen og spørger om optagelse.",
    )
    services.add_agreement(
        editor,
        plan,
        who=editor.get_full_name() or editor.username,
        due=today + dt.timedelta(days=7),
        what="Sender information om Skole på Tværs' forårskurser.",
    )
    if provider_user is not None:
        order = (
            Order.objects.filter(citizen=citizen, provider_id=provider_user.unit_id, status__in=Order.ACTIVE_STATUSES)
            .select_related("grant", "citizen", "provider")
            .first()
        )
        if order is not None:
            order_goal = InterventionGoal.objects.filter(grant_id=order.grant_id).first()
            services.add_provider_item(
                provider_user,
                order,
                kind=ProviderPlanItem.Kind.SUB_GOAL,
                intervention_goal=order_goal,
                text="Laver en indkøbsliste og handler ind sammen med en medarbejder hver tirsdag.",
            )
            services.add_provider_item(
                provider_user,
                order,
                kind=ProviderPlanItem.Kind.ACTIVITY,
                intervention_goal=order_goal,
                text="Gennemgår posten sammen hver anden uge.",
            )
            follow_up = (
                FollowUp.objects.filter(grant_id=order.grant_id, status=FollowUp.Status.PLANNED).order_by("due_date").first()
            )
            services.add_status_note(
                provider_user,
                order,
                follow_up=follow_up,
                written_with_citizen=True,
                text=(
                    "Vi har handlet ind sammen seks gange. Borgeren laver nu selv indkøbslisten og siger, at det giver ro. "
                    "Posten er stadig svær; vi fortsætter med at åbne den sammen."
                ),
            )
    return plan
