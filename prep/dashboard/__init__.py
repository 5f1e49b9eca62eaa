"""The landing page for visitors and the learner's dashboard."""
