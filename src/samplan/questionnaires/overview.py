"""The "Trivsel og funktionsevne over tid" section of the citizen overview
(cases/overview.py): the CHIME trend and the FFB functioning levels per completed
assessment. A fixed number of queries whatever the number of rows."""

from . import services
from .chart import trend_chart


def recovery_overview(citizen, cases) -> dict:
    """``cases`` must have assessments → conditions → theme prefetched (the overview does)."""
    version = services.current_version()
    trend = services.trend(citizen, version=version) if version else services.Trend(items=[], responses=[])
    return {
        "recovery_trend": trend,
        "recovery_chart": trend_chart(trend, title="Udvikling i borgerens egne svar (CHIME)"),
        "functioning_levels": services.functioning_levels(cases),
    }
