"""Refusals from the quiz services, with the HTTP status and the field at fault."""


class QuizError(ValueError):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    @property
    def fields(self) -> dict | None:
        return {self.field: self.message} if self.field else None


def bad_input(field: str, message: str) -> QuizError:
    return QuizError(422, "invalid_input", message, field)


def closed(message: str = "This attempt is finished: answers can no longer change.") -> QuizError:
    return QuizError(409, "attempt_closed", message)
