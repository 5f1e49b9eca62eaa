"""Spaced repetition: review cards scheduled with FSRS, the review queue, flashcards, readiness."""
