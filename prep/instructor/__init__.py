"""Instructors and cohorts: cohorts with join codes and invitations, progress, assignments, collections."""
