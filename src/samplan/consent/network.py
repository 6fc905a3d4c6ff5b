"""The network map (netværkskort): the people around the citizen on three rings — close
by, in between, further away — with their relation, contact data and the citizen's current
consents. Pure layout and wording; the pages in ``views`` fetch through the policy and audit.

The picture is a server-rendered SVG (no JavaScript, no inline styles): every member is a
marker on their ring, spread evenly and deterministically (ordered by id), so the same
network always gives the same picture."""

import math
from dataclasses import dataclass, field

from samplan.citizens.models import Citizen, NetworkMember

from . import services
from .models import ConsentEvent

Circle = NetworkMember.Circle

SIZE = 720  # the SVG's viewBox is SIZE × SIZE
CENTRE = SIZE / 2
RADIUS = {Circle.INNER: 120, Circle.MIDDLE: 205, Circle.OUTER: 290}
CITIZEN_RADIUS = 48
# Each ring starts at a different angle so markers of neighbouring rings rarely line up,
# and away from straight up, where the ring's name is written.
START = {Circle.INNER: -60.0, Circle.MIDDLE: -30.0, Circle.OUTER: -45.0}
RING_FILL = {Circle.INNER: "#dbe9f6", Circle.MIDDLE: "#e9f2fa", Circle.OUTER: "#f5f9fd"}
MARKER_FILL = {Circle.INNER: "#004993", Circle.MIDDLE: "#2e7d32", Circle.OUTER: "#6a4c93"}


@dataclass
class Placed:
    member: NetworkMember
    x: float
    y: float
    label_y: float
    relation_y: float
    anchor: str = "middle"
    consents: list[str] = field(default_factory=list)

    @property
    def circle(self) -> str:
        return self.member.circle

    @property
    def fill(self) -> str:
        return MARKER_FILL.get(self.member.circle, MARKER_FILL[Circle.MIDDLE])

    @property
    def consent_text(self) -> str:
        return ", ".join(self.consents) if self.consents else "Ingen samtykker"

    @property
    def contact(self) -> list[str]:
        return [v for v in (self.member.organisation, self.member.phone, self.member.email) if v]


def place(members: list[NetworkMember]) -> dict[str, list[tuple[NetworkMember, float, float]]]:
    """{circle: [(member, x, y)]}: members spread evenly on their ring, in id order."""
    by_circle: dict[str, list[NetworkMember]] = {c: [] for c in Circle.values}
    for m in sorted(members, key=lambda m: m.pk or 0):
        by_circle[m.circle if m.circle in by_circle else Circle.MIDDLE].append(m)
    placed = {}
    for circle, ring in by_circle.items():
        step = 360.0 / len(ring) if ring else 0
        placed[circle] = []
        for i, m in enumerate(ring):
            angle = math.radians(START[circle] + i * step)
            placed[circle].append(
                (m, round(CENTRE + RADIUS[circle] * math.cos(angle), 1), round(CENTRE + RADIUS[circle] * math.sin(angle), 1))
            )
    return placed


def network_map(citizen: Citizen) -> dict:
    """Context for ``consent/_network_map.html``: the rings, the placed members (in the
    order of the list) and the legend."""
    members = list(citizen.network.select_related("user").order_by("id"))
    state = services.current_for(citizen)
    labels = dict(ConsentEvent.Kind.choices)
    rows = []
    for ring in place(members).values():
        for m, x, y in ring:
            rows.append(
                Placed(
                    member=m,
                    x=x,
                    y=y,
                    label_y=round(y + 26, 1),
                    relation_y=round(y + 42, 1),
                    consents=[labels[k] for k in ConsentEvent.Kind.values if state.get(m.pk, {}).get(k)],
                )
            )
    order = {c: i for i, c in enumerate(Circle.values)}
    rows.sort(key=lambda p: (order.get(p.circle, 1), p.member.pk))
    rings = [
        {"circle": c, "label": label, "r": RADIUS[c], "fill": RING_FILL[c], "label_y": CENTRE - RADIUS[c] - 8}
        for c, label in reversed(Circle.choices)
    ]
    return {
        "size": SIZE,
        "centre": CENTRE,
        "citizen_r": CITIZEN_RADIUS,
        "rings": rings,
        "placed": rows,
        "counts": {label: sum(1 for p in rows if p.circle == c) for c, label in Circle.choices},
    }
