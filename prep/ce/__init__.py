"""Continuing education: certifications, CE activities, certificates, renewals and exports."""
