"""Offices (a practice or clinic): managers see the CE status their staff chose to share."""
