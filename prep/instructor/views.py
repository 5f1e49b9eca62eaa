"""Labels the instructor and learner pages share."""

from prep.core import cohort as rules

STATE_LABELS = {
    rules.NOT_STARTED: "Not started",
    rules.IN_PROGRESS: "In progress",
    rules.COMPLETED: "Completed",
    rules.COMPLETED_LATE: "Completed late",
    rules.OVERDUE: "Overdue",
}
