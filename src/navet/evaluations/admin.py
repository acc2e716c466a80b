from django.contrib import admin

from navet.evaluations.models import Question, Questionnaire, Quote


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "key", "aggregate_n", "aggregate_mean"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Answers and answer links are not shown here: they are anonymous by design."""

    list_display = ["title", "network", "kind", "survey_year", "opened_at", "closed_at"]
    list_filter = ["kind", "network"]
    search_fields = ["title"]
    raw_id_fields = ["meeting"]
    inlines = [QuestionInline]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "network", "year", "group", "source", "in_report"]
    list_filter = ["network", "year", "in_report"]
    search_fields = ["text", "source"]
    raw_id_fields = ["answer"]
