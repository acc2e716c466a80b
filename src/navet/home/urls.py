from django.urls import path

from navet.home import views

app_name = "home"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("networks/", views.network_list, name="network_list"),
]
