"""Practice quizzes and full exam simulations."""
