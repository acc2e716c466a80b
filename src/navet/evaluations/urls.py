from django.urls import path

from navet.evaluations import views

app_name = "evaluations"

PREFIX = "networks/<slug:slug>/evaluations/"

urlpatterns = [
    path(PREFIX, views.index, name="index"),
    path(f"{PREFIX}template/", views.template_edit, name="template_edit"),
    path(f"{PREFIX}meetings/<int:meeting_pk>/open/", views.evaluation_open, name="evaluation_open"),
    path(
        f"{PREFIX}meetings/<int:meeting_pk>/aggregates/",
        views.evaluation_aggregates,
        name="evaluation_aggregates",
    ),
    path(f"{PREFIX}<int:pk>/", views.results, name="results"),
    path(f"{PREFIX}<int:pk>/close/", views.close, name="close"),
    path(f"{PREFIX}<int:pk>/answers/<int:answer_pk>/quote/", views.quote_add, name="quote_add"),
    path(f"{PREFIX}quotes/<int:pk>/remove/", views.quote_remove, name="quote_remove"),
    path(f"{PREFIX}surveys/", views.survey_list, name="survey_list"),
    path(f"{PREFIX}surveys/new/", views.survey_create, name="survey_create"),
    path(f"{PREFIX}surveys/<int:pk>/questions/", views.survey_questions, name="survey_questions"),
    path(f"{PREFIX}surveys/<int:pk>/send/", views.survey_send, name="survey_send"),
    path(
        f"{PREFIX}surveys/<int:pk>/aggregates/", views.survey_aggregates, name="survey_aggregates"
    ),
    path("answer/<str:token>/", views.answer, name="answer"),
]
