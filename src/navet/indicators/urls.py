from navet.indicators.views import catalogue, comparison, followup, imports, runs

app_name = "indicators"

urlpatterns = [
    *catalogue.urlpatterns,
    *runs.urlpatterns,
    *imports.urlpatterns,
    *followup.urlpatterns,
    # Last: its indicators/<code>/ pattern would otherwise shadow the fixed paths above.
    *comparison.urlpatterns,
]
