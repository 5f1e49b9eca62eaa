"""Renewal reminders: settings, the daily send job, in-app reminders and the calendar feed."""
