from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "ramparts.inventory"
    label = "inventory"
    verbose_name = "Inventory"
