from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "cchc.tracking"
    verbose_name = "Theo dõi thực hiện"

    def ready(self) -> None:
        # Imported here because models may only be imported once the app registry is ready.
        from cchc.core.indicator_sources import providers
        from cchc.plans.observers import observers

        from .jobs import register_jobs
        from .plan_observer import ASSIGNMENTS_FOLLOW_PLANS
        from .source import TASK_SOURCE

        observers.register(ASSIGNMENTS_FOLLOW_PLANS)
        providers.register(TASK_SOURCE)
        register_jobs()
