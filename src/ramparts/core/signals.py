from django.core.management import call_command


def create_cache_table(sender, using="default", **kwargs):
    """Throttling counters live in the database cache, shared by every worker process."""
    call_command("createcachetable", database=using, verbosity=0)
