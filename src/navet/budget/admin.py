from django.contrib import admin

from navet.budget.models import BudgetLine, LedgerImport, OutcomeEntry, StatusReport


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("name", "network", "year", "kind", "category", "planned")
    list_filter = ("year", "kind", "category")
    search_fields = ("name", "account")


@admin.register(LedgerImport)
class LedgerImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "network", "year", "rows", "total", "imported_at")
    readonly_fields = ("sha256",)


@admin.register(OutcomeEntry)
class OutcomeEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "line", "amount", "text")
    list_select_related = ("line",)


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "network", "group", "status", "sent_at")
    list_filter = ("kind", "status")
