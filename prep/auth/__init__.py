"""Accounts: registration, sessions, passwords, API tokens and account deletion."""
