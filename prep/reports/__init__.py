"""Item reports: learners report a problem with a question; admins work through the queue."""
