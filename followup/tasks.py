"""The follow-up's tasks, run by Celery beat."""

from celery import shared_task

from followup import notifications


@shared_task(name="followup.send_progress_reminders", ignore_result=True)
def send_progress_reminders() -> None:
    notifications.progress_reminders()
