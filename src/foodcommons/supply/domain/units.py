"""Units, periods and delivery frequencies, and turning quantities into a monthly volume. Pure."""

UNITS = ("kg", "l", "piece")
PERIODS = ("week", "month")
WEEKS_PER_MONTH = 52 / 12
# Deliveries a month for each frequency a canteen may ask (school days: about 4 a week over a month).
DELIVERIES_PER_MONTH = {"daily": 20.0, "twice_weekly": 2 * WEEKS_PER_MONTH, "weekly": WEEKS_PER_MONTH,
                        "fortnightly": WEEKS_PER_MONTH / 2, "monthly": 1.0}
PROCESSING = ("raw", "washed", "cut")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def per_month(volume: float, period: str) -> float:
    """Return a volume per week or per month as a volume per month."""
    return volume * WEEKS_PER_MONTH if period == "week" else volume


def demand_per_month(quantity_per_delivery: float, frequency: str) -> float:
    """Return what a line asks each month: quantity per delivery × deliveries a month."""
    return quantity_per_delivery * DELIVERIES_PER_MONTH[frequency]
