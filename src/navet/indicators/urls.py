from navet.indicators.views import (
    catalogue,
    comparison,
    followup,
    imports,
    network_ranking,
    runs,
    trend,
)

app_name = "indicators"

urlpatterns = [
    *catalogue.urlpatterns,
    *runs.urlpatterns,
    *imports.urlpatterns,
    *followup.urlpatterns,
    *trend.urlpatterns,
    *network_ranking.urlpatterns,
    # Last: its indicators/<code>/ pattern would otherwise shadow the fixed paths above.
    *comparison.urlpatterns,
]
