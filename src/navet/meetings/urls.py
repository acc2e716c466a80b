"""URLs of the meetings app (namespace ``meetings``), included at the site root.

Stable names for ``{% url %}`` (``slug`` is the network's, ``pk`` the meeting's):

* ``meetings:meeting_list`` slug – upcoming and past meetings (``?group=<slug>&year=<yyyy>``)
* ``meetings:meeting_create`` slug
* ``meetings:meeting_detail`` slug pk
* ``meetings:meeting_edit`` slug pk
* ``meetings:meeting_copy`` slug pk – a planned copy with new dates
* ``meetings:meeting_cancel`` slug pk – GET confirms, POST cancels
* ``meetings:meeting_held`` slug pk – POST
* ``meetings:meeting_ics`` slug pk – the meeting as an .ics file
* ``meetings:register`` / ``meetings:unregister`` slug pk – POST
* ``meetings:invite`` slug pk – email invitations with the .ics
* ``meetings:attendance`` slug pk – who came, per day
* ``meetings:attendance_counts`` slug pk – counts per day and kind of organisation
* ``meetings:network_feeds`` slug – subscription links for the network and its groups
* ``meetings:my_calendar`` – the "Kalender" page: one's own meetings and subscription link
* ``meetings:feed_revoke`` pk (the feed's) – POST
* ``meetings:calendar_feed`` token – the subscribed calendar (no login)
"""

from django.urls import path

from navet.meetings import views

app_name = "meetings"

MEETING = "networks/<slug:slug>/meetings/<int:pk>/"

urlpatterns = [
    path("networks/<slug:slug>/meetings/", views.meeting_list, name="meeting_list"),
    path("networks/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("networks/<slug:slug>/meetings/feeds/", views.network_feeds, name="network_feeds"),
    path(MEETING, views.meeting_detail, name="meeting_detail"),
    path(f"{MEETING}edit/", views.meeting_edit, name="meeting_edit"),
    path(f"{MEETING}copy/", views.meeting_copy, name="meeting_copy"),
    path(f"{MEETING}cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{MEETING}held/", views.meeting_held, name="meeting_held"),
    path(f"{MEETING}meeting.ics", views.meeting_ics, name="meeting_ics"),
    path(f"{MEETING}register/", views.register, name="register"),
    path(f"{MEETING}unregister/", views.unregister, name="unregister"),
    path(f"{MEETING}invite/", views.invite, name="invite"),
    path(f"{MEETING}attendance/", views.attendance, name="attendance"),
    path(f"{MEETING}attendance/counts/", views.attendance_counts, name="attendance_counts"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
