from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ramparts.notifications"
    label = "notifications"
    verbose_name = "Notifications"
