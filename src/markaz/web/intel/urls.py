from django.urls import path

from markaz.web.intel import graph_views, views

app_name = "intel"

urlpatterns = [
    path("", views.search, name="search"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:indicator_id>/watch/", views.indicator_watch, name="indicator_watch"),
    path(
        "indicators/<int:indicator_id>/<str:action>/",
        views.indicator_guard,
        name="indicator_guard",
    ),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/watch/", views.campaign_watch, name="campaign_watch"),
    path("reports/<str:reference>/", views.report_links, name="report_links"),
    path("warning-list/", views.warninglist, name="warninglist"),
    path(
        "warning-list/<int:entry_id>/remove/",
        views.warninglist_remove,
        name="warninglist_remove",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("graph/<str:kind>/<str:key>/", graph_views.graph_page, name="graph"),
    path("graph/<str:kind>/<str:key>/data/", graph_views.graph_data, name="graph_data"),
    path("graph/<str:kind>/<str:key>/path/", graph_views.graph_path, name="graph_path"),
]
