"""Showing the field errors of a refused input on the form that sent it, next to the fields they name."""

from foodcommons.core.problems import InvalidInput


def show_field_errors(form, problem: InvalidInput) -> None:
    """Add each FieldError to its form field when the form has one, else above the form with the field's name."""
    for error in problem.errors:
        if error.field in form.fields:
            form.add_error(error.field, error.reason)
        else:
            form.add_error(None, f"{error.field}: {error.reason}")
